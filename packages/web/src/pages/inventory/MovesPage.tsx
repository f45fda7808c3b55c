import { CloseOutlined, ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, DatePicker, Empty, Input, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api, type Page, sortParam } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDate, formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { DOC_PATH, type DocType, type MoveRow, useWarehouses } from "./api";
import { type InvKey, invText } from "./i18n";
import { ItemCell, LocationText, Money, MoveTypeTag, Qty } from "./parts";
import { ExportButtons } from "../masterdata/catalog/parts";

const MOVE_TYPES = ["receipt", "issue", "transfer", "adjustment", "scrap", "production_consumption", "production_output"];

export function docLink(docType: string, docId: number): string {
  return docType === "count" ? `/inventory/counts/${docId}` : `/inventory/${DOC_PATH[docType as DocType]}/${docId}`;
}

/** The stock ledger: every move, newest first; filters by item, lot, location from the URL (drill-down). */
export default function MovesPage() {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const showValue = can("inventory.value.read");
  const [params, setParams] = useSearchParams();
  const itemId = params.get("itemId") ? Number(params.get("itemId")) : undefined;
  const lotId = params.get("lotId") ? Number(params.get("lotId")) : undefined;
  const locationId = params.get("locationId") ? Number(params.get("locationId")) : undefined;
  const [warehouseId, setWarehouseId] = useState<number | undefined>(params.get("warehouseId") ? Number(params.get("warehouseId")) : undefined);
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const [moveType, setMoveType] = useState<string | undefined>();
  const [docType, setDocType] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [sort, setSort] = useState<string | undefined>();
  const warehouses = useWarehouses();

  const query = {
    itemId,
    lotId,
    locationId,
    warehouseId,
    moveType,
    docType,
    q: dq || undefined,
    from: range?.[0]?.format("YYYY-MM-DD"),
    to: range?.[1]?.format("YYYY-MM-DD"),
    page,
    pageSize,
    sort,
  };
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["inventory", "moves", query],
    queryFn: () => api.get<Page<MoveRow>>("/api/inventory/moves", query),
    placeholderData: keepPreviousData,
  });
  const first = data?.items[0];
  const clear = (key: string) => {
    const next = new URLSearchParams(params);
    next.delete(key);
    setParams(next);
    setPage(1);
  };

  return (
    <>
      <PageHeader
        title={t("movesTitle")}
        extra={
          <Space wrap>
            <ExportButtons path="/api/inventory/moves/export" query={{ ...query, page: undefined, pageSize: undefined }} testId="moves" />
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
          </Space>
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          {itemId && (
            <Tag closable closeIcon={<CloseOutlined />} onClose={() => clear("itemId")} color="blue" data-testid="moves-filter-item">
              {t("filterItem", { item: first ? first.itemCode : `#${itemId}` })}
            </Tag>
          )}
          {lotId && (
            <Tag closable onClose={() => clear("lotId")} color="blue">
              {t("filterLot", { lot: first?.lotNo ?? `#${lotId}` })}
            </Tag>
          )}
          {locationId && (
            <Tag closable onClose={() => clear("locationId")} color="blue">
              {t("filterLocation", { location: first ? (first.fromLocationId === locationId ? first.fromLocationCode : first.toLocationCode) : `#${locationId}` })}
            </Tag>
          )}
          <Input.Search allowClear placeholder={t("searchDocs")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 280 }} data-testid="moves-search" />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} allowEmpty={[true, true]} />
          <Select
            allowClear
            placeholder={t("moveType")}
            value={moveType}
            onChange={setMoveType}
            options={MOVE_TYPES.map((m) => ({ value: m, label: t(`mt_${m}` as InvKey) }))}
            style={{ width: 160 }}
            data-testid="moves-type"
          />
          <Select
            allowClear
            placeholder={t("docType")}
            value={docType}
            onChange={setDocType}
            options={["receipt", "issue", "transfer", "count"].map((d) => ({ value: d, label: t(d as InvKey) }))}
            style={{ width: 130 }}
            data-testid="moves-doc-type"
          />
          <Select
            allowClear
            placeholder={t("allWarehouses")}
            value={warehouseId}
            onChange={setWarehouseId}
            options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${pickName(lang, w.nameZh, w.nameEn)}` }))}
            style={{ width: 200 }}
          />
        </Space>
        <Table<MoveRow>
          rowKey="id"
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          scroll={{ x: "max-content" }}
          data-testid="moves-table"
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("movesEmpty")} /> }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 50);
            const one = Array.isArray(s) ? s[0] : s;
            setSort(sortParam(one?.columnKey as string | undefined, one?.order));
          }}
          columns={[
            { title: t("moveId"), dataIndex: "id", key: "id", sorter: true, width: 80 },
            { title: t("postingDate"), dataIndex: "postingDate", key: "postingDate", sorter: true, width: 110, render: (v: string) => formatDate(v) },
            {
              title: t("moveType"),
              dataIndex: "moveType",
              width: 150,
              render: (v: string, r) => (
                <Space size={2}>
                  <MoveTypeTag type={v} />
                  {r.reversalOf && (
                    <Tooltip title={`#${r.reversalOf}`}>
                      <Tag color="orange">{t("reversalTag")}</Tag>
                    </Tooltip>
                  )}
                  {r.returnOf && (
                    <Tooltip title={`#${r.returnOf}`}>
                      <Tag color="purple">{t("returnTag")}</Tag>
                    </Tooltip>
                  )}
                  {r.reversedBy && (
                    <Tooltip title={`#${r.reversedBy}`}>
                      <Tag>{t("reversedTag")}</Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t("document"),
              dataIndex: "docNumber",
              width: 150,
              render: (v: string | null, r) => (
                <Link to={docLink(r.docType, r.docId)} data-testid={`move-doc-${r.id}`}>
                  {v ?? `#${r.docId}`}
                </Link>
              ),
            },
            { title: t("item"), dataIndex: "itemCode", key: "itemCode", sorter: true, width: 200, render: (_: unknown, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
            { title: t("lot"), dataIndex: "lotNo", width: 120, render: (v: string | null) => v ?? "—" },
            { title: t("quantity"), dataIndex: "quantity", key: "quantity", sorter: true, align: "right", width: 100, render: (v: string, r) => <Qty value={v} uom={r.uom} /> },
            { title: t("from"), dataIndex: "fromLocationCode", width: 170, render: (v: string, r) => <LocationText code={v} kind={r.fromKind} /> },
            { title: t("to"), dataIndex: "toLocationCode", width: 170, render: (v: string, r) => <LocationText code={v} kind={r.toKind} /> },
            ...(showValue
              ? [
                  { title: t("unitCost"), dataIndex: "unitCost", align: "right" as const, width: 110, render: (v: string) => <Money value={v} /> },
                  { title: t("value"), dataIndex: "value", key: "value", sorter: true, align: "right" as const, width: 110, render: (v: string) => <Money value={v} /> },
                ]
              : []),
            { title: t("productionRef"), dataIndex: "productionRef", width: 110, render: (v: string | null) => v ?? "—" },
            {
              title: t("postedBy"),
              dataIndex: "postedByName",
              width: 160,
              render: (v: string | null, r) => (
                <Space orientation="vertical" size={0}>
                  <span>{v ?? "—"}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(r.postedAt)}
                  </Typography.Text>
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
