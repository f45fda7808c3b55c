import { PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Input, Select, Table, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { ReleaseStatus, RoutingSummaryRow } from "./api";
import { engText } from "./i18n";
import { EffectiveRange, Qty, StatusTag, WorkCentreSelect } from "./parts";

export default function RoutingsPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<ReleaseStatus | undefined>();
  const workCentreId = Number(params.get("workCentreId")) || undefined;
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>();
  const query = useDebounced(q.trim());

  const { data, isFetching } = useQuery({
    queryKey: ["masterdata", "routings", "list", { page, pageSize, sort, q: query, status, workCentreId }],
    queryFn: () => api.get<Page<RoutingSummaryRow>>("/api/masterdata/routings", { page, pageSize, sort, q: query, status, workCentreId }),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (field: string) => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);

  return (
    <>
      <PageHeader
        title={t("routingTitle")}
        extra={
          can("masterdata.routing.edit") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/masterdata/routings/new")} data-testid="routing-create">
              {t("routingCreate")}
            </Button>
          )
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search
            allowClear
            placeholder={t("searchRoutingHint")}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 320 }}
            data-testid="routing-search"
          />
          <Select
            allowClear
            placeholder={t("all")}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            style={{ width: 150 }}
            options={(["draft", "active", "obsolete"] as const).map((s) => ({ value: s, label: t(`status_${s}`) }))}
          />
          <div style={{ width: 260 }}>
            <WorkCentreSelect
              value={workCentreId ?? null}
              onChange={(v) => {
                const next = new URLSearchParams(params);
                if (v) next.set("workCentreId", String(v));
                else next.delete("workCentreId");
                setParams(next, { replace: true });
                setPage(1);
              }}
              testId="routing-wc-filter"
            />
          </div>
          {workCentreId && (
            <Button size="small" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
              {tc("reset")}
            </Button>
          )}
        </div>
        <Table<RoutingSummaryRow>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.items ?? []}
          data-testid="routing-table"
          onRow={(r) => ({ onClick: () => navigate(`/masterdata/routings/${r.id}`), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<RoutingSummaryRow>;
            setSort(sortParam(sorter.field as string | undefined, sorter.order));
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
          }}
          scroll={{ x: 980 }}
          columns={[
            {
              title: t("item"),
              dataIndex: "itemCode",
              sorter: true,
              sortOrder: sortOrder("itemCode"),
              render: (_, r) => (
                <Link to={`/masterdata/routings/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`routing-row-${r.itemCode}-${r.versionCode}`}>
                  <b>{r.itemCode}</b> {pickName(lang, r.itemNameZh, r.itemNameEn)}
                </Link>
              ),
            },
            { title: t("versionCode"), dataIndex: "versionCode", width: 100, sorter: true, sortOrder: sortOrder("versionCode") },
            { title: t("status"), dataIndex: "status", width: 100, sorter: true, sortOrder: sortOrder("status"), render: (v: ReleaseStatus) => <StatusTag status={v} /> },
            {
              title: `${t("effectiveFrom")} → ${t("effectiveTo")}`,
              dataIndex: "effectiveFrom",
              width: 230,
              sorter: true,
              sortOrder: sortOrder("effectiveFrom"),
              render: (_, r) => <EffectiveRange from={r.effectiveFrom} to={r.effectiveTo} />,
            },
            { title: t("routingLotSize"), dataIndex: "lotSize", width: 100, align: "right", render: (v: string) => <Qty value={v} /> },
            { title: t("operationCount"), dataIndex: "operationCount", width: 80, align: "right" },
            { title: t("description"), dataIndex: "description", ellipsis: true, render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text> },
            { title: t("updatedAt"), dataIndex: "updatedAt", width: 170, sorter: true, sortOrder: sortOrder("updatedAt"), render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
    </>
  );
}
