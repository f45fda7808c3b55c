import { Button, Result, Spin } from "antd";
import { useNavigate } from "react-router-dom";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";
import { usePageTitle } from "./hooks";

export function Forbidden() {
  const t = useT(common);
  const navigate = useNavigate();
  usePageTitle(t("forbiddenTitle"));
  return (
    <Result
      status="403"
      title={t("forbiddenTitle")}
      subTitle={t("forbiddenText")}
      data-testid="forbidden"
      extra={
        <Button type="primary" onClick={() => navigate("/")}>
          {t("backHome")}
        </Button>
      }
    />
  );
}

export function NotFound() {
  const t = useT(common);
  const navigate = useNavigate();
  usePageTitle(t("notFoundTitle"));
  return (
    <Result
      status="404"
      title={t("notFoundTitle")}
      subTitle={t("notFoundText")}
      data-testid="not-found"
      extra={
        <Button type="primary" onClick={() => navigate("/")}>
          {t("backHome")}
        </Button>
      }
    />
  );
}

export function PageSpin() {
  return (
    <div style={{ display: "flex", justifyContent: "center", alignItems: "center", minHeight: 240 }} data-testid="page-loading">
      <Spin size="large" />
    </div>
  );
}
