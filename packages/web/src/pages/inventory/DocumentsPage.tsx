import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Empty, Input, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDate, formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { DOC_PATH, type DocListRow, type DocType } from "./api";
import { type InvKey, invText } from "./i18n";
import { Money, StateTag } from "./parts";
import { ExportButtons } from "../masterdata/catalog/parts";

const TITLES: Record<DocType, InvKey> = { receipt: "receiptsTitle", issue: "issuesTitle", transfer: "transfersTitle" };
const NEW: Record<DocType, InvKey> = { receipt: "newReceipt", issue: "newIssue", transfer: "newTransfer" };

/** The list of one kind of stock document, newest first, with search and state filter. */
export function DocumentsList({ type }: { type: DocType }) {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const showValue = can("inventory.value.read");
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>();
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["inventory", "documents", { type, dq, state, page, pageSize, sort }],
    queryFn: () => api.get<Page<DocListRow>>("/api/inventory/documents", { type, q: dq || undefined, state, page, pageSize, sort }),
    placeholderData: keepPreviousData,
  });
  const path = `/inventory/${DOC_PATH[type]}`;
  return (
    <>
      <PageHeader
        title={t(TITLES[type])}
        extra={
          <>
            <ExportButtons path="/api/inventory/documents/export" query={{ type, q: dq || undefined, state, sort }} testId="docs" />
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
            {can(`inventory.${type}.edit`) && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`${path}/new`)} data-testid="doc-new">
                {t(NEW[type])}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t("searchDocs")} value={q} onChange={(e) => { setQ(e.target.value); setPage(1); }} style={{ width: 300 }} data-testid="docs-search" />
          <Select
            allowClear
            placeholder={t("allStates")}
            value={state}
            onChange={(v) => { setState(v); setPage(1); }}
            options={["draft", "posted", "reversed", "cancelled"].map((s) => ({ value: s, label: t(`st_${s}` as InvKey) }))}
            style={{ width: 140 }}
            data-testid="docs-state"
          />
        </Space>
        <Table<DocListRow>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          scroll={{ x: "max-content" }}
          data-testid="docs-table"
          onRow={(r) => ({ onClick: () => navigate(`${path}/${r.id}`), style: { cursor: "pointer" } })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("docEmpty")} /> }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
            const one = Array.isArray(s) ? s[0] : s;
            setSort(sortParam(one?.columnKey as string | undefined, one?.order));
          }}
          columns={[
            {
              title: t("number"),
              dataIndex: "number",
              key: "number",
              sorter: true,
              width: 170,
              render: (v: string, r) => (
                <Space size={4}>
                  <Link to={`${path}/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`doc-link-${v}`}>
                    {v}
                  </Link>
                  {r.reversalOf && <Tag color="orange">{t("reversalTag")}</Tag>}
                  {r.hasReturns && <Tag color="purple">{t("returnTag")}</Tag>}
                </Space>
              ),
            },
            { title: t("state"), dataIndex: "state", key: "state", sorter: true, width: 100, render: (v: string, r) => <StateTag state={v} testId={`doc-state-${r.number}`} /> },
            { title: t("postingDate"), dataIndex: "postingDate", key: "postingDate", sorter: true, width: 110, render: (v: string | null) => formatDate(v) },
            {
              title: type === "receipt" ? t("supplier") : type === "issue" ? t("customer") : t("partner"),
              dataIndex: "partnerCode",
              width: 200,
              render: (v: string | null, r) => (v ? `${v} ${pickName(lang, r.partnerNameZh, r.partnerNameEn)}` : "—"),
            },
            { title: t("reference"), dataIndex: "reference", width: 130, render: (v: string | null) => v ?? "—" },
            { title: t("lineCount"), dataIndex: "lineCount", align: "right", width: 70 },
            { title: t("productionRef"), dataIndex: "productionRef", width: 120, render: (v: string | null) => v ?? "—" },
            ...(showValue ? [{ title: t("totalValue"), dataIndex: "totalValue", align: "right" as const, width: 120, render: (v: string | null) => <Money value={v} /> }] : []),
            {
              title: t("createdBy"),
              dataIndex: "createdByName",
              width: 170,
              render: (v: string, r) => (
                <Space orientation="vertical" size={0}>
                  <span>{v}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(r.createdAt)}</Typography.Text>
                </Space>
              ),
            },
            { title: t("postedBy"), dataIndex: "postedByName", width: 150, render: (v: string | null) => v ?? "—" },
          ]}
        />
      </Card>
    </>
  );
}
