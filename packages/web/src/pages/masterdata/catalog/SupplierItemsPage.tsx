import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, DatePicker, Input, Select, Space, Switch, Table, Tag, Typography } from "antd";
import type { SorterResult, SortOrder } from "antd/es/table/interface";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { pickName } from "../../../i18n/core";
import { MD, type SupplierItem } from "./api";
import { CreateButton, ExportButtons, P, PartnerSelect, dec, useCatalogText } from "./parts";
import { SupplierItemFormModal } from "./SupplierItemForm";

export default function SupplierItemsPage() {
  const { t, tc, lang } = useCatalogText();
  const { can } = useAuth();
  const [q, setQ] = useState("");
  const [partnerId, setPartnerId] = useState<number | null>(null);
  const [preferred, setPreferred] = useState<string>();
  const [validOn, setValidOn] = useState<Dayjs | null>(null);
  const [showInactive, setShowInactive] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState("item,partner");
  const [editing, setEditing] = useState<SupplierItem | "new" | null>(null);
  const query = useDebounced(q.trim());
  const filters = { q: query, partnerId: partnerId ?? undefined, preferred, validOn: validOn?.format("YYYY-MM-DD"), active: showInactive ? undefined : true, sort };
  const { data, isFetching } = useQuery({
    queryKey: ["md", "supplier-items", "list", { ...filters, page, pageSize }],
    queryFn: () => api.get<Page<SupplierItem>>(`${MD}/supplier-items`, { ...filters, page, pageSize }),
    placeholderData: keepPreviousData,
  });
  const priceVisible = can(P.price);
  const sortOrder = (f: string): SortOrder => (sort === f ? "ascend" : sort === `-${f}` ? "descend" : null);

  return (
    <>
      <PageHeader
        title={t("siTitle")}
        extra={
          <>
            <ExportButtons path={`${MD}/supplier-items/export`} query={filters} testId="si" />
            {can(P.siEdit) && priceVisible && <CreateButton label={t("siCreate")} onClick={() => setEditing("new")} testId="si-create" />}
          </>
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search allowClear placeholder={t("siSearch")} value={q} onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }} style={{ width: 280 }} data-testid="si-search" />
          <div style={{ width: 260 }}>
            <PartnerSelect partnerRole="supplier" placeholder={t("supplier")} value={partnerId} onChange={(v) => {
              setPartnerId(v);
              setPage(1);
            }} testId="si-filter-partner" />
          </div>
          <Select
            allowClear
            placeholder={t("preferred")}
            value={preferred}
            onChange={(v) => {
              setPreferred(v);
              setPage(1);
            }}
            options={[
              { value: "true", label: t("preferred") },
              { value: "false", label: `${t("no")} ${t("preferred")}` },
            ]}
            style={{ width: 130 }}
          />
          <DatePicker placeholder={t("validOn")} value={validOn} onChange={(d) => {
              setValidOn(d);
              setPage(1);
            }} data-testid="si-filter-validOn" />
          <Space size={6}>
            <Switch size="small" checked={showInactive} onChange={(v) => {
              setShowInactive(v);
              setPage(1);
            }} />
            <Typography.Text type="secondary">{t("showInactive")}</Typography.Text>
          </Space>
        </div>
        <Table<SupplierItem>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.items ?? []}
          data-testid="si-table"
          scroll={{ x: 1560 }}
          onRow={(r) => (can(P.siEdit) ? { onClick: () => setEditing(r), style: { cursor: "pointer" } } : {})}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<SupplierItem>;
            setSort(sortParam(sorter.columnKey as string | undefined, sorter.order) ?? "item,partner");
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
          }}
          columns={[
            {
              title: t("item"),
              key: "item",
              width: 280,
              sorter: true,
              sortOrder: sortOrder("item"),
              render: (_, r) => (
                <Link to={`/masterdata/items/${r.itemId}`} onClick={(e) => e.stopPropagation()}>
                  {r.itemCode} · {pickName(lang, r.itemNameZh, r.itemNameEn)}
                </Link>
              ),
            },
            {
              title: t("supplier"),
              key: "partner",
              width: 280,
              sorter: true,
              sortOrder: sortOrder("partner"),
              render: (_, r) => (
                <Link to={`/masterdata/partners/${r.partnerId}`} onClick={(e) => e.stopPropagation()}>
                  {r.partnerCode} · {pickName(lang, r.partnerNameZh, r.partnerNameEn)}
                </Link>
              ),
            },
            { title: t("supplierItemCode"), dataIndex: "supplierItemCode", width: 140, render: (v) => v ?? "—" },
            priceVisible
              ? { title: t("price"), key: "price", align: "right", width: 150, sorter: true, sortOrder: sortOrder("price"), render: (_, r) => <span data-testid={`si-price-${r.id}`}>{`${dec(r.price)} ${r.currency} / ${r.uomCode}`}</span> }
              : { title: t("price"), key: "price", align: "right", width: 150, render: () => <Typography.Text type="secondary">{t("priceHidden")}</Typography.Text> },
            { title: t("minQty"), key: "minQty", align: "right", width: 120, sorter: true, sortOrder: sortOrder("minQty"), render: (_, r) => `${dec(r.minQty)} ${r.uomCode}` },
            { title: t("leadTime"), dataIndex: "leadTimeDays", key: "leadTimeDays", align: "right", width: 100, sorter: true, sortOrder: sortOrder("leadTimeDays") },
            { title: t("validity"), key: "validFrom", width: 200, sorter: true, sortOrder: sortOrder("validFrom"), render: (_, r) => `${r.validFrom ?? "…"} ~ ${r.validTo ?? t("open_ended")}` },
            {
              title: t("status"),
              key: "flags",
              width: 170,
              render: (_, r) => (
                <Space size={4}>
                  {r.preferred && <Tag color="gold">{t("preferred")}</Tag>}
                  {!r.active ? <Tag>{tc("inactive")}</Tag> : r.validNow ? <Tag color="green">{t("validNow")}</Tag> : <Tag>{t("notValid")}</Tag>}
                  {r.partnerStatus === "blocked" && <Tag color="orange">{t("st_blocked")}</Tag>}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <SupplierItemFormModal row={editing === "new" ? null : editing} open={editing !== null} onClose={() => setEditing(null)} />
    </>
  );
}
