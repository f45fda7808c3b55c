import { ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Space, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useAuth } from "../../auth/AuthProvider";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";

/**
 * The frame of an operations card on the Backups page: icon and title, Refresh, and a "run now" button
 * for holders of `runPermission` (disabled with an optional reason). Test ids: `${testId}-card`,
 * `${testId}-refresh`, `${testId}-run`.
 */
export function OpsCard(props: {
  testId: string;
  icon: ReactNode;
  title: string;
  refresh: { onClick: () => void; loading: boolean; disabled?: boolean };
  run: { label: string; onClick: () => void; disabled: boolean; disabledReason?: string; permission: string };
  children: ReactNode;
}) {
  const tc = useT(common);
  const { can } = useAuth();
  const { testId, icon, title, refresh, run } = props;
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      data-testid={`${testId}-card`}
      title={
        <Space>
          {icon}
          {title}
        </Space>
      }
      extra={
        <Space>
          <Button size="small" icon={<ReloadOutlined />} onClick={refresh.onClick} loading={refresh.loading} disabled={refresh.disabled} data-testid={`${testId}-refresh`}>
            {tc("refresh")}
          </Button>
          {can(run.permission) && (
            <Tooltip title={run.disabledReason}>
              <Button size="small" type="primary" icon={icon} onClick={run.onClick} disabled={run.disabled} data-testid={`${testId}-run`}>
                {run.label}
              </Button>
            </Tooltip>
          )}
        </Space>
      }
    >
      {props.children}
    </Card>
  );
}
