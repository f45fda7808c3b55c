import { Card, Typography } from "antd";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { usePageTitle } from "../../components/hooks";
import { LangSwitch } from "../../components/LangSwitch";
import { useT } from "../../i18n/core";
import { regText } from "./i18n";

/** The frame of the pages reachable without signing in: logo, title, language switch, way back to sign in. */
export function PublicShell({ title, width = 560, children }: { title: string; width?: number; children: ReactNode }) {
  const t = useT(regText);
  usePageTitle(title);
  return (
    <div className="kw-login-bg" style={{ alignItems: "flex-start", paddingTop: 48 }}>
      <div style={{ position: "fixed", top: 12, right: 16 }}>
        <LangSwitch type="default" />
      </div>
      <Card style={{ width, maxWidth: "100%", boxShadow: "0 8px 24px rgba(31,35,41,0.08)" }}>
        <div style={{ display: "flex", alignItems: "center", gap: 12, marginBottom: 16 }}>
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <div>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
              {title}
            </Typography.Title>
            <Typography.Text type="secondary">开物 Kaiwu</Typography.Text>
          </div>
        </div>
        {children}
        <div style={{ marginTop: 16, textAlign: "center" }}>
          <Link to="/login" data-testid="back-to-login">
            {t("backToLogin")}
          </Link>
        </div>
      </Card>
    </div>
  );
}
