import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Typography } from "antd";
import type { ReactNode } from "react";
import { usePageTitle } from "./hooks";

/** Page heading (also the browser tab title), an optional back button and actions on the right. */
export function PageHeader({ title, extra, onBack, sub }: { title: string; extra?: ReactNode; onBack?: () => void; sub?: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="kw-page-header">
      <div style={{ display: "flex", alignItems: "center", gap: 8, minWidth: 0 }}>
        {onBack && <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} data-testid="page-back" />}
        <Typography.Title level={4} data-testid="page-title">
          {title}
        </Typography.Title>
        {sub}
      </div>
      {extra && <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>{extra}</div>}
    </div>
  );
}
