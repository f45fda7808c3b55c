import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Alert, Card, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, type Page } from "../../api/client";
import { formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { regText } from "./i18n";

interface ApplicationRow {
  id: number;
  number: string;
  fullName: string;
  username: string;
  email: string;
  jobTitle: string;
  status: "pending" | "approved" | "rejected";
  departmentNameZh: string;
  departmentNameEn: string;
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  requestId: number | null;
  requestNumber: string | null;
  fileCount: number;
}

const STATUS_COLOR = { pending: "processing", approved: "success", rejected: "error" } as const;

export default function ApplicationsPage() {
  const t = useT(regText);
  const tc = useT(common);
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const query = useDebounced(q.trim());
  const params = { page, pageSize: 20, q: query, status };
  const { data, isLoading, isPlaceholderData } = useQuery({
    queryKey: ["identity", "registrations", params],
    queryFn: () => api.get<Page<ApplicationRow>>("/api/identity/registrations", params),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title={t("listTitle")} />
      <Alert type="info" showIcon title={t("listIntro")} style={{ marginBottom: 12 }} />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search
            allowClear
            placeholder={t("search")}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 300 }}
          />
          <Select
            allowClear
            placeholder={t("allStatuses")}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={(["pending", "approved", "rejected"] as const).map((s) => ({ value: s, label: t(`status_${s}`) }))}
            style={{ width: 160 }}
          />
        </div>
        <Table<ApplicationRow>
          rowKey="id"
          size="small"
          loading={isLoading || isPlaceholderData}
          dataSource={data?.items ?? []}
          data-testid="applications-table"
          scroll={{ x: "max-content" }}
          pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage, showTotal: (total) => tc("total", { total }) }}
          columns={[
            { title: t("number"), dataIndex: "number", width: 130 },
            {
              title: t("applicant"),
              key: "who",
              width: 220,
              render: (_, r) => (
                <div>
                  <div>{r.fullName}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.username} · {r.email}
                  </Typography.Text>
                </div>
              ),
            },
            { title: t("department"), key: "dept", width: 160, render: (_, r) => pickName(lang, r.departmentNameZh, r.departmentNameEn) },
            { title: t("jobTitle"), dataIndex: "jobTitle", width: 160, ellipsis: true },
            { title: t("files"), dataIndex: "fileCount", width: 70, align: "right" },
            { title: t("submittedAt"), dataIndex: "submittedAt", width: 160, render: (v: string) => formatDateTime(v) },
            {
              title: t("statusCol"),
              key: "status",
              width: 240,
              render: (_, r) => (
                <div>
                  <Space size={6}>
                    <Tag color={STATUS_COLOR[r.status]}>{t(`status_${r.status}`)}</Tag>
                    {r.requestId && <Link to={`/workflow/requests/${r.requestId}`}>{r.requestNumber}</Link>}
                  </Space>
                  {r.decisionReason && (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t("reason")}: {r.decisionReason}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
