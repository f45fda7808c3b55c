import { ReloadOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Descriptions, Drawer, Empty, Input, Segmented, Select, Space, Switch, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDate } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { type MoveRow, type StockRow, cmpDecimal, useItemStock, useWarehouses } from "./api";
import { type InvKey, invText } from "./i18n";
import { Expiry, ItemCell, LocationText, Money, MoveTypeTag, Qty } from "./parts";
import { ExportButtons } from "../masterdata/catalog/parts";

type Group = "item" | "warehouse" | "location" | "lot";

/** On hand / reserved / available / incoming per item, warehouse, location or lot, with a drill-down to the item's stock and moves. */
export default function StockPage() {
  const t = useT(invText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const showValue = can("inventory.value.read");
  const [group, setGroup] = useState<Group>("location");
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const [warehouseId, setWarehouseId] = useState<number | undefined>();
  const [showZero, setShowZero] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const [sort, setSort] = useState<string | undefined>();
  const [detail, setDetail] = useState<StockRow | null>(null);
  const warehouses = useWarehouses();

  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["inventory", "stock", { group, dq, warehouseId, showZero, page, pageSize, sort }],
    queryFn: () => api.get<Page<StockRow>>("/api/inventory/stock", { group, q: dq || undefined, warehouseId, showZero: showZero || undefined, page, pageSize, sort }),
    placeholderData: keepPreviousData,
  });

  const columns = [
    {
      title: t("item"),
      dataIndex: "itemCode",
      key: "itemCode",
      sorter: true,
      fixed: "left" as const,
      width: 190,
      render: (_: unknown, r: StockRow) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} />,
    },
    ...(group !== "item"
      ? [
          {
            title: t("warehouse"),
            dataIndex: "warehouseCode",
            key: "warehouseCode",
            sorter: true,
            width: 80,
            render: (v: string | null) => v ?? <Tag>{t("kind_transit")}</Tag>,
          },
        ]
      : []),
    ...(group === "location" || group === "lot"
      ? [
          {
            title: t("location"),
            dataIndex: "locationCode",
            key: "locationCode",
            sorter: true,
            width: 150,
            render: (v: string, r: StockRow) => (
              <Tooltip title={pickName(lang, r.locationNameZh, r.locationNameEn)}>
                <span>
                  <LocationText code={v} />
                </span>
              </Tooltip>
            ),
          },
        ]
      : []),
    ...(group === "lot"
      ? [
          { title: t("lot"), dataIndex: "lotNo", key: "lotNo", sorter: true, width: 140, render: (v: string | null) => v ?? "—" },
          { title: t("expiry"), dataIndex: "expiryDate", key: "expiryDate", sorter: true, width: 120, render: (v: string | null) => <Expiry date={v} /> },
        ]
      : []),
    { title: t("onHand"), dataIndex: "onHand", key: "onHand", sorter: true, align: "right" as const, width: 100, render: (v: string) => <Qty value={v} /> },
    { title: t("reserved"), dataIndex: "reserved", key: "reserved", sorter: true, align: "right" as const, width: 90, render: (v: string) => <Qty value={v} /> },
    {
      title: t("available"),
      dataIndex: "available",
      key: "available",
      sorter: true,
      align: "right" as const,
      width: 100,
      render: (v: string) => (
        <Typography.Text strong>
          <Qty value={v} danger={cmpDecimal(v, "0") < 0} />
        </Typography.Text>
      ),
    },
    { title: t("incoming"), dataIndex: "incoming", key: "incoming", sorter: true, align: "right" as const, width: 90, render: (v: string) => (cmpDecimal(v, "0") === 0 ? <Typography.Text type="secondary">0</Typography.Text> : <Qty value={v} />) },
    { title: t("uom"), dataIndex: "uom", key: "uom", width: 56 },
    ...(showValue
      ? [
          { title: t("unitCost"), dataIndex: "unitCost", key: "unitCost", align: "right" as const, width: 100, render: (v: string | null) => <Money value={v} /> },
          { title: t("value"), dataIndex: "value", key: "value", sorter: true, align: "right" as const, width: 110, render: (v: string | null) => <Money value={v} /> },
        ]
      : []),
    {
      title: "",
      key: "actions",
      width: 44,
      fixed: "right" as const,
      render: (_: unknown, r: StockRow) => (
        <Tooltip title={t("viewMoves")}>
        <Button
          type="link"
          size="small"
          aria-label={t("viewMoves")}
          icon={<UnorderedListOutlined />}
          onClick={(e) => {
            e.stopPropagation();
            const qs = new URLSearchParams({ itemId: String(r.itemId) });
            if (r.locationId) qs.set("locationId", String(r.locationId));
            if (r.lotId) qs.set("lotId", String(r.lotId));
            if (group === "warehouse" && r.warehouseId) qs.set("warehouseId", String(r.warehouseId));
            navigate(`/inventory/moves?${qs}`);
          }}
          data-testid={`stock-moves-${r.itemCode}`}
        />
        </Tooltip>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t("stockTitle")}
        extra={
          <Space wrap>
            <ExportButtons path="/api/inventory/stock/export" query={{ group, q: dq || undefined, warehouseId, showZero: showZero || undefined, sort }} testId="stock" />
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading}>
              {tc("refresh")}
            </Button>
          </Space>
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t("search")}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 320 }}
            data-testid="stock-search"
          />
          <Segmented<Group>
            value={group}
            onChange={(v) => {
              setGroup(v);
              setPage(1);
              setSort(undefined);
            }}
            options={(["item", "warehouse", "location", "lot"] as const).map((g) => ({ value: g, label: t(`group_${g}` as InvKey) }))}
            data-testid="stock-group"
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
            style={{ width: 220 }}
            data-testid="stock-warehouse"
          />
          <Space size={6}>
            <Switch size="small" checked={showZero} onChange={setShowZero} data-testid="stock-show-zero" />
            <Typography.Text type="secondary">{t("showZero")}</Typography.Text>
          </Space>
        </Space>
        <Table<StockRow>
          rowKey={(r) => `${r.itemId}:${r.warehouseId ?? ""}:${r.locationId ?? ""}:${r.lotId ?? r.lotNo ?? ""}`}
          size="small"
          loading={isLoading}
          dataSource={data?.items ?? []}
          columns={columns}
          scroll={{ x: "max-content" }}
          data-testid="stock-table"
          onRow={(r) => ({ onClick: () => setDetail(r), style: { cursor: "pointer" }, "data-testid": `stock-row-${r.itemCode}` }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("stockEmpty")} /> }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 50);
            const one = Array.isArray(s) ? s[0] : s;
            setSort(sortParam(one?.columnKey as string | undefined, one?.order));
          }}
        />
      </Card>
      <ItemDrawer row={detail} onClose={() => setDetail(null)} showValue={showValue} />
    </>
  );
}

function ItemDrawer({ row, onClose, showValue }: { row: StockRow | null; onClose: () => void; showValue: boolean }) {
  const t = useT(invText);
  const { lang } = useLang();
  const navigate = useNavigate();
  const stock = useItemStock(row?.itemId);
  const moves = useQuery({
    queryKey: ["inventory", "moves", "drawer", row?.itemId],
    queryFn: () => api.get<Page<MoveRow>>("/api/inventory/moves", { itemId: row!.itemId, pageSize: 10 }),
    enabled: !!row,
  });
  const item = stock.data?.item;
  return (
    <Drawer
      open={row !== null}
      onClose={onClose}
      size={760}
      title={row ? t("stockDetail", { item: `${row.itemCode} ${pickName(lang, row.itemNameZh, row.itemNameEn)}` }) : ""}
      data-testid="stock-drawer"
      extra={
        row && (
          <Button icon={<UnorderedListOutlined />} onClick={() => navigate(`/inventory/moves?itemId=${row.itemId}`)} data-testid="drawer-all-moves">
            {t("viewMoves")}
          </Button>
        )
      }
    >
      {item && (
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: "uom", label: t("uom"), children: item.uom },
            { key: "tracking", label: t("lot"), children: item.tracking },
            ...(showValue ? [{ key: "method", label: t("method"), children: t(`method_${item.valuationMethod}` as InvKey) }] : []),
          ]}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t("byLocation")}
      </Typography.Title>
      <Table
        size="small"
        rowKey={(l) => `${l.locationId}:${l.lotId ?? ""}`}
        loading={stock.isLoading}
        dataSource={stock.data?.lines ?? []}
        pagination={false}
        columns={[
          { title: t("warehouse"), dataIndex: "warehouseCode", render: (v: string | null) => v ?? "—" },
          { title: t("location"), dataIndex: "locationCode" },
          { title: t("lot"), dataIndex: "lotNo", render: (v: string | null) => v ?? "—" },
          { title: t("expiry"), dataIndex: "expiryDate", render: (v: string | null) => <Expiry date={v} /> },
          { title: t("onHand"), dataIndex: "onHand", align: "right", render: (v: string) => <Qty value={v} /> },
          { title: t("reserved"), dataIndex: "reserved", align: "right", render: (v: string) => <Qty value={v} /> },
          { title: t("available"), dataIndex: "available", align: "right", render: (v: string) => <Qty value={v} danger={cmpDecimal(v, "0") < 0} /> },
        ]}
      />
      {showValue && (stock.data?.valuations.length ?? 0) > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("valuationByWarehouse")}
          </Typography.Title>
          <Table
            size="small"
            rowKey={(v) => String(v.warehouseId)}
            dataSource={stock.data?.valuations ?? []}
            pagination={false}
            columns={[
              { title: t("warehouse"), dataIndex: "warehouseCode", render: (v: string | null) => v ?? t("kind_transit") },
              { title: t("method"), dataIndex: "method", render: (v: string) => t(`method_${v}` as InvKey) },
              { title: t("quantity"), dataIndex: "quantity", align: "right", render: (v: string) => <Qty value={v} /> },
              { title: t("unitCost"), dataIndex: "unitCost", align: "right", render: (v: string | null) => <Money value={v} /> },
              { title: t("value"), dataIndex: "value", align: "right", render: (v: string) => <Money value={v} /> },
            ]}
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t("recentMoves")}
      </Typography.Title>
      <Table<MoveRow>
        size="small"
        rowKey="id"
        loading={moves.isLoading}
        dataSource={moves.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t("postingDate"), dataIndex: "postingDate", render: (v: string) => formatDate(v) },
          { title: t("moveType"), dataIndex: "moveType", render: (v: string) => <MoveTypeTag type={v} /> },
          { title: t("document"), dataIndex: "docNumber" },
          { title: t("lot"), dataIndex: "lotNo", render: (v: string | null) => v ?? "—" },
          { title: t("quantity"), dataIndex: "quantity", align: "right", render: (v: string) => <Qty value={v} /> },
          { title: t("from"), dataIndex: "fromLocationCode", render: (v: string, r) => <LocationText code={v} kind={r.fromKind} /> },
          { title: t("to"), dataIndex: "toLocationCode", render: (v: string, r) => <LocationText code={v} kind={r.toKind} /> },
        ]}
      />
    </Drawer>
  );
}
