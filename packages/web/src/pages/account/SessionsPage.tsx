import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Table, Tag } from "antd";
import { api } from "../../api/client";
import type { SessionInfo } from "../../api/types";
import { authText } from "../../auth/i18n";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n/core";

export default function SessionsPage() {
  const t = useT(authText);
  const { data, isLoading } = useQuery({ queryKey: ["auth", "sessions"], queryFn: () => api.get<SessionInfo[]>("/api/auth/sessions") });
  return (
    <>
      <PageHeader title={t("sessionsTitle")} />
      <Alert type="info" showIcon title={t("sessionsIntro")} style={{ marginBottom: 12 }} />
      <Card>
        <Table<SessionInfo>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data ?? []}
          pagination={false}
          data-testid="sessions-table"
          columns={[
            { title: t("sessionCreated"), dataIndex: "createdAt", width: 170, render: (v: string) => formatDateTime(v) },
            { title: t("sessionLastSeen"), dataIndex: "lastSeenAt", width: 170, render: (v: string) => formatDateTime(v) },
            { title: t("sessionIp"), dataIndex: "ip", width: 140, render: (v: string | null) => v ?? "—" },
            { title: t("sessionAgent"), dataIndex: "userAgent", ellipsis: true, render: (v: string | null) => v ?? "—" },
            {
              title: "",
              dataIndex: "current",
              width: 110,
              render: (v: boolean) => (v ? <Tag color="green">{t("sessionCurrent")}</Tag> : null),
            },
          ]}
        />
      </Card>
    </>
  );
}
