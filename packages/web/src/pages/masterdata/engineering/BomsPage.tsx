import { ApartmentOutlined, PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Input, Select, Table, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { BomSummaryRow, ReleaseStatus } from "./api";
import { engText } from "./i18n";
import { EffectiveRange, Qty, StatusTag } from "./parts";
import { ExportButtons } from "../catalog/parts";

export default function BomsPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<ReleaseStatus | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>();
  const query = useDebounced(q.trim());

  const { data, isFetching } = useQuery({
    queryKey: ["masterdata", "boms", "list", { page, pageSize, sort, q: query, status }],
    queryFn: () => api.get<Page<BomSummaryRow>>("/api/masterdata/boms", { page, pageSize, sort, q: query, status }),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (field: string) => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);

  return (
    <>
      <PageHeader
        title={t("bomTitle")}
        extra={
          <>
            <ExportButtons path="/api/masterdata/boms/export" query={{ q: query || undefined, status }} testId="boms" />
            <Button icon={<ApartmentOutlined />} onClick={() => navigate("/masterdata/bom-analysis")} data-testid="bom-analysis-open">
              {t("explode")}
            </Button>
            {can("masterdata.bom.edit") && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("/masterdata/boms/new")} data-testid="bom-create">
                {t("bomCreate")}
              </Button>
            )}
          </>
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search
            allowClear
            placeholder={t("searchBomHint")}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 320 }}
            data-testid="bom-search"
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
            data-testid="bom-status-filter"
            options={(["draft", "active", "obsolete"] as const).map((s) => ({ value: s, label: t(`status_${s}`) }))}
          />
        </div>
        <Table<BomSummaryRow>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.items ?? []}
          data-testid="bom-table"
          onRow={(r) => ({ onClick: () => navigate(`/masterdata/boms/${r.id}`), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<BomSummaryRow>;
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
                <Link to={`/masterdata/boms/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`bom-row-${r.itemCode}-${r.versionCode}`}>
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
            { title: t("baseQty"), dataIndex: "baseQty", width: 120, align: "right", render: (v: string | null, r) => <Qty value={v} unit={r.uom} /> },
            { title: t("lineCount"), dataIndex: "lineCount", width: 70, align: "right" },
            {
              title: t("description"),
              dataIndex: "description",
              ellipsis: true,
              render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text>,
            },
            { title: t("updatedAt"), dataIndex: "updatedAt", width: 170, sorter: true, sortOrder: sortOrder("updatedAt"), render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
    </>
  );
}
