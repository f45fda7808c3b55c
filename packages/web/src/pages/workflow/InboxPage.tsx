import { ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Badge, Button, Card, Input, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { SorterResult } from "antd/es/table/interface";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, type Page, sortParam } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { type RequestRow, type RequestStatus, useDocTypes } from "./api";
import { wfText } from "./i18n";
import { formatAmount, RequestStatusTag, useDocTypeName } from "./parts";

type TabKey = "inbox" | "mine" | "decided" | "all";

function RequestTable({ tab }: { tab: TabKey }) {
  const t = useT(wfText);
  const tc = useT(common);
  const { lang } = useLang();
  const navigate = useNavigate();
  const docTypeName = useDocTypeName();
  const docTypes = useDocTypes();
  const [q, setQ] = useState("");
  const [docType, setDocType] = useState<string | undefined>();
  const [status, setStatus] = useState<RequestStatus | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const defaultSort = tab === "inbox" ? "waitingSince" : "-submittedAt";
  const [sort, setSort] = useState<string>(defaultSort);
  const query = useDebounced(q.trim());
  const params = { page, pageSize, sort, q: query, docType, ...(tab === "inbox" ? {} : { scope: tab, status }) };
  const { data, isLoading, isPlaceholderData, refetch, isFetching } = useQuery({
    queryKey: ["workflow", tab === "inbox" ? "inbox" : "requests", params],
    queryFn: () => api.get<Page<RequestRow>>(tab === "inbox" ? "/api/workflow/inbox" : "/api/workflow/requests", params),
    placeholderData: keepPreviousData,
    refetchInterval: tab === "inbox" ? 60_000 : false,
  });
  const sortOrder = (field: string) => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);
  // Amounts only where some document on the page has one (account applications have none).
  const withAmounts = (data?.items ?? []).some((r) => r.amount !== null);

  return (
    <>
      <div className="kw-toolbar">
        <Input.Search
          allowClear
          placeholder={t("search")}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
          style={{ width: 280 }}
          data-testid={`wf-${tab}-search`}
        />
        <Select
          allowClear
          placeholder={t("allDocTypes")}
          value={docType}
          onChange={(v) => {
            setDocType(v);
            setPage(1);
          }}
          options={(docTypes.data ?? []).map((d) => ({ value: d.docType, label: docTypeName(d.docType, d.label) }))}
          style={{ width: 220 }}
        />
        {tab !== "inbox" && (
          <Select
            allowClear
            placeholder={t("allStatuses")}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={(["pending", "approved", "rejected", "withdrawn"] as const).map((s) => ({ value: s, label: t(`status_${s}`) }))}
            style={{ width: 160 }}
          />
        )}
        <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
          {tc("refresh")}
        </Button>
      </div>
      <Table<RequestRow>
        rowKey="id"
        size="small"
        loading={isLoading || isPlaceholderData}
        dataSource={data?.items ?? []}
        data-testid={`wf-${tab}-table`}
        scroll={{ x: "max-content" }}
        locale={tab === "inbox" ? { emptyText: t("inboxEmpty") } : undefined}
        onRow={(r) => ({ onClick: () => navigate(`/workflow/requests/${r.id}`), style: { cursor: "pointer" } })}
        pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
        onChange={(p, _f, s) => {
          const sorter = s as SorterResult<RequestRow>;
          setSort(sortParam(sorter.field as string | undefined, sorter.order) ?? defaultSort);
          setPage(p.current ?? 1);
          setPageSize(p.pageSize ?? 20);
        }}
        columns={[
          {
            title: t("number"),
            dataIndex: "number",
            key: "number",
            width: 120,
            sorter: true,
            sortOrder: sortOrder("number"),
            render: (v: string, r) => (
              <Link to={`/workflow/requests/${r.id}`} data-testid={`wf-row-${v}`} onClick={(e) => e.stopPropagation()}>
                {v}
              </Link>
            ),
          },
          { title: t("docType"), dataIndex: "docType", width: 130, ellipsis: true, render: (v: string) => docTypeName(v) },
          {
            title: t("summary"),
            dataIndex: "summaryZh",
            width: 300,
            render: (_, r) => (
              <div style={{ maxWidth: 300, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }} title={pickName(lang, r.summaryZh, r.summaryEn)}>
                {r.onBehalfOfName && <Tag color="purple">{t("onBehalfOf", { name: r.onBehalfOfName })}</Tag>}
                {r.escalatedToMe && <Tag color="orange">{t("escalatedToMe")}</Tag>}
                {pickName(lang, r.summaryZh, r.summaryEn)}
              </div>
            ),
          },
          ...(withAmounts
            ? ([
                {
                  title: t("amount"),
                  dataIndex: "amount",
                  key: "amount",
                  align: "right" as const,
                  width: 120,
                  sorter: true,
                  sortOrder: sortOrder("amount"),
                  render: (v: string | null) => formatAmount(v),
                },
              ] as ColumnsType<RequestRow>)
            : []),
          { title: t("maker"), dataIndex: "makerName", width: 140 },
          {
            title: t("department"),
            dataIndex: "departmentId",
            width: 130,
            ellipsis: true,
            responsive: ["xxl"],
            render: (_, r) => pickName(lang, r.departmentNameZh, r.departmentNameEn) || "—",
          },
          {
            title: t("level"),
            dataIndex: "currentLevel",
            width: 170,
            render: (_, r) =>
              r.currentLevel ? (
                <span>
                  {t("levelOf", { level: r.currentLevel, count: r.levelCount })}
                  <Typography.Text type="secondary"> · {pickName(lang, r.levelNameZh, r.levelNameEn)}</Typography.Text>
                </span>
              ) : (
                "—"
              ),
          },
          tab === "inbox"
            ? {
                title: t("waitingSince"),
                dataIndex: "waitingSince",
                key: "waitingSince",
                width: 160,
                sorter: true,
                sortOrder: sortOrder("waitingSince"),
                render: (v: string) => formatDateTime(v),
              }
            : {
                title: t("submittedAt"),
                dataIndex: "submittedAt",
                key: "submittedAt",
                width: 160,
                sorter: true,
                sortOrder: sortOrder("submittedAt"),
                render: (v: string) => formatDateTime(v),
              },
          { title: t("status"), dataIndex: "status", width: 100, render: (v: RequestStatus) => <RequestStatusTag status={v} /> },
        ]}
      />
    </>
  );
}

export default function InboxPage() {
  const t = useT(wfText);
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = (params.get("tab") as TabKey | null) ?? "inbox";
  const count = useQuery({
    queryKey: ["workflow", "inbox", "count"],
    queryFn: () => api.get<Page<RequestRow>>("/api/workflow/inbox", { pageSize: 1 }),
    refetchInterval: 60_000,
  });
  const items = [
    {
      key: "inbox",
      label: (
        <Space size={6} data-testid="wf-tab-inbox">
          {t("tabInbox")}
          <Badge count={count.data?.total ?? 0} size="small" />
        </Space>
      ),
    },
    { key: "mine", label: <span data-testid="wf-tab-mine">{t("tabMine")}</span> },
    { key: "decided", label: <span data-testid="wf-tab-decided">{t("tabDecided")}</span> },
    ...(can("workflow.request.read") ? [{ key: "all", label: <span data-testid="wf-tab-all">{t("tabAll")}</span> }] : []),
  ];
  return (
    <>
      <PageHeader title={t("inboxTitle")} />
      <Card size="small">
        <Tabs activeKey={tab} onChange={(k) => setParams({ tab: k }, { replace: true })} items={items} destroyOnHidden />
        <RequestTable key={tab} tab={tab} />
      </Card>
    </>
  );
}
