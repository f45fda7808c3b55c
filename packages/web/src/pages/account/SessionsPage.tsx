import { LogoutOutlined, ReloadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip, Typography } from "antd";
import { ApiError, api } from "../../api/client";
import { useApiError } from "../../api/errors";
import type { SessionInfo } from "../../api/types";
import { authText } from "../../auth/i18n";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { AccountNav } from "./AccountNav";
import { accountText } from "./i18n";
import { describeUserAgent } from "./userAgent";

const SESSIONS_KEY = ["auth", "sessions"] as const;

/** The signed-in user's open sessions (IAM-3): where and since when, and ending any but this one. */
export default function SessionsPage() {
  const t = useT(authText);
  const ta = useT(accountText);
  const tc = useT(common);
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const { data, isLoading, isFetching, refetch } = useQuery({ queryKey: SESSIONS_KEY, queryFn: () => api.get<SessionInfo[]>("/api/auth/sessions") });
  const others = (data ?? []).filter((s) => !s.current);

  // The session id is only its first 16 hex digits (enough to name it, useless as a credential).
  const end = (id: string) => api.post(`/api/auth/sessions/${id}/end`, {});

  const confirmEnd = (s: SessionInfo) => {
    modal.confirm({
      title: ta("endTitle"),
      content: (
        <>
          <Typography.Paragraph>{ta("endText")}</Typography.Paragraph>
          <Typography.Text type="secondary">
            {clientName(s, ta)} · {s.ip ?? "—"} · {formatDateTime(s.lastSeenAt)}
          </Typography.Text>
        </>
      ),
      okText: ta("endSession"),
      okButtonProps: { danger: true, "data-testid": "session-end-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await end(s.id);
          message.success(ta("ended"));
        } catch (e) {
          showError(e);
        } finally {
          await qc.invalidateQueries({ queryKey: SESSIONS_KEY });
        }
      },
    });
  };

  const confirmEndOthers = () => {
    modal.confirm({
      title: ta("endOthersTitle"),
      content: ta("endOthersText", { n: others.length }),
      okText: ta("endOthers"),
      okButtonProps: { danger: true, "data-testid": "session-end-others-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        // One command per session: each is audited on its own; one already gone does not stop the rest.
        let ok = 0;
        let failed = 0;
        for (const s of others) {
          try {
            await end(s.id);
            ok++;
          } catch (e) {
            if (e instanceof ApiError && e.status === 404) failed++;
            else {
              showError(e);
              break;
            }
          }
        }
        if (failed > 0) message.warning(ta("endedPartly", { n: ok, failed }));
        else if (ok > 0) message.success(ta("endedOthers", { n: ok }));
        await qc.invalidateQueries({ queryKey: SESSIONS_KEY });
      },
    });
  };

  return (
    <>
      <PageHeader
        title={t("sessionsTitle")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
            <Button danger icon={<LogoutOutlined />} disabled={others.length === 0} onClick={confirmEndOthers} data-testid="session-end-others">
              {ta("endOthers")}
            </Button>
          </>
        }
      />
      <AccountNav />
      <Alert type="info" showIcon title={t("sessionsIntro")} style={{ marginBottom: 12 }} />
      <Card>
        <Table<SessionInfo>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data ?? []}
          pagination={false}
          data-testid="sessions-table"
          scroll={{ x: "max-content" }}
          onRow={(s) => ({ "data-testid": `session-row-${s.id}`, "data-current": s.current }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t("sessionAgent"),
              dataIndex: "userAgent",
              render: (v: string | null, s) => (
                <Space size={6}>
                  <Tooltip title={v ?? undefined}>
                    <span>{clientName(s, ta)}</span>
                  </Tooltip>
                  {s.current && (
                    <Tag color="green" data-testid="session-current">
                      {t("sessionCurrent")}
                    </Tag>
                  )}
                </Space>
              ),
            },
            { title: t("sessionIp"), dataIndex: "ip", width: 150, render: (v: string | null) => v ?? "—" },
            { title: t("sessionCreated"), dataIndex: "createdAt", width: 170, render: (v: string) => formatDateTime(v) },
            { title: t("sessionLastSeen"), dataIndex: "lastSeenAt", width: 170, render: (v: string) => formatDateTime(v) },
            {
              title: tc("actions"),
              key: "actions",
              width: 150,
              render: (_, s) =>
                s.current ? null : (
                  <Button type="link" size="small" danger icon={<LogoutOutlined />} onClick={() => confirmEnd(s)} data-testid={`session-end-${s.id}`}>
                    {ta("endSession")}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}

function clientName(s: SessionInfo, ta: (k: "unknownClient" | "browserOn", p?: Record<string, string>) => string): string {
  const { browser, os } = describeUserAgent(s.userAgent);
  if (browser && os) return ta("browserOn", { browser, os });
  return browser ?? os ?? ta("unknownClient");
}
