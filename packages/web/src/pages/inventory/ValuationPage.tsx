import { ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, DatePicker, Empty, Input, Select, Space, Statistic, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { api, type Page, sortParam } from "../../api/client";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { useWarehouses } from "./api";
import { type InvKey, invText } from "./i18n";
import { ItemCell, Money, Qty } from "./parts";
import { ExportButtons } from "../masterdata/catalog/parts";

interface ValRow {
  itemId: number | null;
  itemCode: string | null;
  itemNameZh: string | null;
  itemNameEn: string | null;
  uom: string | null;
  warehouseId: number | null;
  warehouseCode: string | null;
  warehouseNameZh: string | null;
  warehouseNameEn: string | null;
  quantity: string;
  value: string;
  unitCost: string | null;
}

type Group = "item" | "warehouse" | "item_warehouse";

/** Inventory value as of the end of a day (Σ valuation entries up to it), per item, warehouse or both. */
export default function ValuationPage() {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const [asOf, setAsOf] = useState<Dayjs>(dayjs());
  const [group, setGroup] = useState<Group>("item_warehouse");
  const [warehouseId, setWarehouseId] = useState<number | undefined>();
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [sort, setSort] = useState<string | undefined>();
  const warehouses = useWarehouses();
  const query = { asOf: asOf.format("YYYY-MM-DD"), group, warehouseId, q: dq || undefined, page, pageSize, sort };
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["inventory", "valuation", query],
    queryFn: () => api.get<Page<ValRow> & { totalValue: string }>("/api/inventory/valuation", query),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title={t("valuationTitle")}
        extra={
          <Space wrap>
            <ExportButtons path="/api/inventory/valuation/export" query={{ ...query, page: undefined, pageSize: undefined }} testId="valuation" />
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
          </Space>
        }
      />
      <Typography.Paragraph type="secondary">{t("valuationHint")}</Typography.Paragraph>
      <Card size="small">
        <Space wrap align="end" style={{ marginBottom: 12, width: "100%", justifyContent: "space-between" }}>
          <Space wrap>
            <span>{t("asOf")}</span>
            <DatePicker value={asOf} allowClear={false} onChange={(d) => {
                if (!d) return;
                setAsOf(d);
                setPage(1);
              }} disabledDate={(d) => d.isAfter(dayjs(), "day")} data-testid="valuation-asof" />
            <Select<Group>
              value={group}
              onChange={(g) => {
                setGroup(g);
                setPage(1);
                setSort(undefined);
              }}
              options={(["item_warehouse", "item", "warehouse"] as const).map((g) => ({ value: g, label: t(`vg_${g}` as InvKey) }))}
              style={{ width: 160 }}
              data-testid="valuation-group"
            />
            <Select
              allowClear
              placeholder={t("allWarehouses")}
              value={warehouseId}
              onChange={(v) => {
                setWarehouseId(v);
                setPage(1);
              }}
              options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${pickName(lang, w.nameZh, w.nameEn)}` }))}
              style={{ width: 200 }}
            />
            {group !== "warehouse" && <Input.Search allowClear placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} />}
          </Space>
          <Statistic title={`${t("total")} · ${asOf.format("YYYY-MM-DD")}`} value={data?.totalValue ?? "—"} data-testid="valuation-total" />
        </Space>
        <Table<ValRow>
          rowKey={(r) => `${r.itemId ?? ""}:${r.warehouseId ?? "T"}`}
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          scroll={{ x: "max-content" }}
          data-testid="valuation-table"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("valuationEmpty")} /> }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 50);
            const one = Array.isArray(s) ? s[0] : s;
            setSort(sortParam(one?.columnKey as string | undefined, one?.order));
          }}
          columns={[
            ...(group !== "warehouse"
              ? [{ title: t("item"), dataIndex: "itemCode", key: "itemCode", sorter: true, render: (_: unknown, r: ValRow) => <ItemCell code={r.itemCode ?? ""} nameZh={r.itemNameZh ?? ""} nameEn={r.itemNameEn ?? ""} /> }]
              : []),
            ...(group !== "item"
              ? [
                  {
                    title: t("warehouse"),
                    dataIndex: "warehouseCode",
                    key: "warehouseCode",
                    sorter: true,
                    render: (v: string | null, r: ValRow) => (v ? `${v} ${pickName(lang, r.warehouseNameZh, r.warehouseNameEn)}` : t("kind_transit")),
                  },
                ]
              : []),
            // Quantities of different items (and units) do not add up: per warehouse only the value.
            ...(group !== "warehouse"
              ? [
                  { title: t("quantity"), dataIndex: "quantity", key: "quantity", sorter: true, align: "right" as const, render: (v: string, r: ValRow) => <Qty value={v} uom={r.uom ?? undefined} /> },
                  { title: t("unitCost"), dataIndex: "unitCost", align: "right" as const, render: (v: string | null) => <Money value={v} /> },
                ]
              : []),
            { title: t("value"), dataIndex: "value", key: "value", sorter: true, align: "right", render: (v: string) => <Money value={v} /> },
          ]}
        />
      </Card>
    </>
  );
}
