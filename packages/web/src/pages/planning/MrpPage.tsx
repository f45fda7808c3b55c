import { BranchesOutlined, ExperimentOutlined, PlayCircleOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Alert,
  type ButtonProps,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tree,
  Typography,
} from "antd";
import { useEffect, useMemo, useState } from "react";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { pickName, useLang, useT } from "../../i18n/core";
import { type ItemRecord, type PegNode, type Pegging, type PlanException, type PlanOrder, SEVERITY_COLOR, type Version, type VersionItem } from "./api";
import { type PlanKey, planText } from "./i18n";

/** "5:2:1" (item id : receipt period : n) as people read it: "KW-HEAD-40 · 2026-W50 · 1". */
function orderLabel(key: string, code: string | undefined, buckets: { label: string }[] | undefined): string {
  const [, period, n] = key.split(":");
  return `${code ?? ""} · ${buckets?.[Number(period) - 1]?.label ?? period} · ${n}`;
}

const num = { fontVariantNumeric: "tabular-nums" as const, whiteSpace: "nowrap" as const };

/** MRP: run (background job with progress), plan versions, items with their records and pegging, exceptions, planned orders, what-if. */
export default function MrpPage() {
  const t = useT(planText);
  const { can } = useAuth();
  const qc = useQueryClient();
  const [versionId, setVersionId] = useState<number | undefined>();
  const [running, setRunning] = useState<number | undefined>();
  const [runOpen, setRunOpen] = useState(false);
  const [whatIfOpen, setWhatIfOpen] = useState(false);
  const [record, setRecord] = useState<number | null>(null);
  const [pegOrder, setPegOrder] = useState<string | null>(null);

  const versions = useQuery({
    queryKey: ["planning", "versions"],
    queryFn: () => api.get<Page<Version>>("/api/planning/versions", { pageSize: 100 }),
  });
  useEffect(() => {
    if (versionId === undefined && versions.data) setVersionId(versions.data.items.find((v) => v.status === "done")?.id);
  }, [versions.data, versionId]);
  const version = useQuery({
    queryKey: ["planning", "version", versionId],
    queryFn: () => api.get<Version>(`/api/planning/versions/${versionId}`),
    enabled: versionId !== undefined,
  });
  // the run being watched: polled until the job is done
  const progress = useQuery({
    queryKey: ["planning", "version", running, "progress"],
    queryFn: () => api.get<Version>(`/api/planning/versions/${running}`),
    enabled: running !== undefined,
    refetchInterval: 700,
  });
  useEffect(() => {
    const p = progress.data;
    if (!p || running === undefined || (p.status !== "done" && p.status !== "failed")) return;
    setRunning(undefined);
    void qc.invalidateQueries({ queryKey: ["planning"] });
    if (p.status === "done") setVersionId(p.id);
  }, [progress.data, running, qc]);

  const v = version.data;
  const percent = progress.data?.jobProgress?.percent ?? 0;
  const phase = progress.data?.jobProgress?.phase;

  return (
    <div data-testid="mrp-page">
      <PageHeader
        title={t("mrpTitle")}
        extra={
          <>
            <Select
              style={{ width: 300 }}
              value={versionId}
              onChange={setVersionId}
              placeholder={t("version")}
              data-testid="mrp-version"
              options={(versions.data?.items ?? []).map((x) => ({
                value: x.id,
                disabled: x.status !== "done",
                label: `${x.code}${x.name !== x.code ? ` · ${x.name}` : ""} · ${t(`kind_${x.kind}` as PlanKey)}${x.status !== "done" ? ` (${t(`status_${x.status}` as PlanKey)})` : ""}`,
              }))}
            />
            {can("planning.run.execute") && v?.status === "done" && (
              <Button icon={<ExperimentOutlined />} onClick={() => setWhatIfOpen(true)} data-testid="mrp-what-if">
                {t("whatIf")}
              </Button>
            )}
            {can("planning.run.execute") && (
              <Button type="primary" icon={<PlayCircleOutlined />} onClick={() => setRunOpen(true)} disabled={running !== undefined} data-testid="mrp-run">
                {t("runMrp")}
              </Button>
            )}
          </>
        }
      />
      {running !== undefined && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="mrp-progress"
          title={
            <Space>
              {t("running")}
              {phase ? t(`phase_${phase}` as PlanKey) : ""}
              <Progress percent={percent} size="small" style={{ width: 240 }} />
            </Space>
          }
        />
      )}
      {!v ? (
        <Empty description={t("noVersion")} />
      ) : (
        <>
          <Descriptions size="small" column={4} bordered style={{ marginBottom: 12 }} data-testid="mrp-version-info">
            <Descriptions.Item label={t("version")}>
              <Space>
                <Typography.Text strong data-testid="mrp-version-code">
                  {v.code}
                </Typography.Text>
                <Tag color={v.kind === "what_if" ? "purple" : "blue"}>{t(`kind_${v.kind}` as PlanKey)}</Tag>
                {v.baseCode && <Tag>{v.baseCode}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t("inputsAt")}>{formatDateTime(v.inputsAt)}</Descriptions.Item>
            <Descriptions.Item label={t("duration")}>{v.durationMs !== null ? `${(v.durationMs / 1000).toFixed(1)} s` : "—"}</Descriptions.Item>
            <Descriptions.Item label={t("periods")}>
              {v.periods} × {v.bucket === "week" ? t("bucketWeek") : t("bucketDay")} · {v.startDate}
            </Descriptions.Item>
            <Descriptions.Item label="" span={4}>
              {t("counts", {
                items: v.itemCount,
                bom: v.bomLineCount,
                demand: v.demandCount,
                receipts: v.receiptCount,
                orders: v.orderCount,
                exceptions: v.exceptionCount,
              })}
            </Descriptions.Item>
          </Descriptions>
          <Tabs
            items={[
              { key: "items", label: t("tabItems"), children: <ItemsTab version={v} onOpen={setRecord} /> },
              { key: "exceptions", label: t("tabExceptions"), children: <ExceptionsTab version={v} onOpen={setRecord} /> },
              { key: "orders", label: t("tabOrders"), children: <OrdersTab version={v} onPeg={setPegOrder} /> },
              { key: "compare", label: t("tabCompare"), children: <CompareTab version={v} versions={versions.data?.items ?? []} /> },
            ]}
          />
          <RecordDrawer version={v} itemId={record} onClose={() => setRecord(null)} onPeg={setPegOrder} />
          <PeggingModal version={v} orderKey={pegOrder} onClose={() => setPegOrder(null)} />
          {whatIfOpen && <WhatIfModal base={v} onClose={() => setWhatIfOpen(false)} onStarted={(id) => setRunning(id)} />}
        </>
      )}
      {runOpen && <RunModal onClose={() => setRunOpen(false)} onStarted={(id) => setRunning(id)} />}
    </div>
  );
}

function useFilters() {
  const t = useT(planText);
  const [plannerId, setPlannerId] = useState<number | undefined>();
  const [group, setGroup] = useState<string | undefined>();
  const [severity, setSeverity] = useState<number | undefined>();
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const planners = useQuery({ queryKey: ["planning", "planners"], queryFn: () => api.get<{ id: number; name: string }[]>("/api/planning/planners") });
  const groups = useQuery({ queryKey: ["planning", "groups"], queryFn: () => api.get<{ group: string }[]>("/api/planning/groups") });
  const bar = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search allowClear placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 220 }} data-testid="filter-q" />
      <Select
        allowClear
        placeholder={t("planner")}
        style={{ width: 180 }}
        value={plannerId}
        onChange={setPlannerId}
        options={(planners.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        data-testid="filter-planner"
      />
      <Select
        allowClear
        placeholder={t("group")}
        style={{ width: 150 }}
        value={group}
        onChange={setGroup}
        options={(groups.data ?? []).map((g) => ({ value: g.group, label: g.group }))}
        data-testid="filter-group"
      />
      <Select
        allowClear
        placeholder={t("severity")}
        style={{ width: 130 }}
        value={severity}
        onChange={setSeverity}
        options={[3, 2, 1].map((s) => ({ value: s, label: `≥ ${t(`sev_${s}` as PlanKey)}` }))}
        data-testid="filter-severity"
      />
    </Space>
  );
  return { bar, params: { plannerId, group, severity, q: dq || undefined } };
}

function ItemCell({ code, nameZh, nameEn }: { code?: string; nameZh?: string; nameEn?: string }) {
  const { lang } = useLang();
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text strong style={{ whiteSpace: "nowrap" }}>
        {code}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {pickName(lang, nameZh ?? "", nameEn ?? "")}
      </Typography.Text>
    </Space>
  );
}

function SeverityTag({ s }: { s: number }) {
  const t = useT(planText);
  return <Tag color={SEVERITY_COLOR[s]}>{t(`sev_${s}` as PlanKey)}</Tag>;
}

function ItemsTab({ version, onOpen }: { version: Version; onOpen: (itemId: number) => void }) {
  const t = useT(planText);
  const { bar, params } = useFilters();
  const [page, setPage] = useState(1);
  const { data, isFetching } = useQuery({
    queryKey: ["planning", "items", version.id, params, page],
    queryFn: () => api.get<Page<VersionItem>>(`/api/planning/versions/${version.id}/items`, { ...params, active: true, page, pageSize: 50 }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      {bar}
      <Table<VersionItem>
        rowKey="itemId"
        size="small"
        loading={isFetching}
        dataSource={data?.items}
        pagination={{ current: page, pageSize: 50, total: data?.total, onChange: setPage, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => onOpen(r.itemId), style: { cursor: "pointer" }, "data-testid": `mrp-item-${r.itemCode}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t("item"), key: "item", render: (_, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
          { title: t("makeOrBuy"), dataIndex: "makeOrBuy", render: (v: string) => <Tag color={v === "make" ? "geekblue" : "green"}>{t(v as PlanKey)}</Tag> },
          { title: t("llc"), dataIndex: "lowLevelCode", align: "right" },
          { title: t("group"), dataIndex: "itemGroup" },
          { title: t("planner"), dataIndex: "plannerName" },
          { title: t("onHand"), dataIndex: "onHand", align: "right", render: (v: string) => <span style={num}>{v}</span> },
          { title: t("grossQty"), dataIndex: "grossQty", align: "right", render: (v: string) => <span style={num}>{v}</span> },
          { title: t("plannedQty"), dataIndex: "plannedQty", align: "right", render: (v: string) => <span style={num}>{v}</span> },
          { title: t("orderCount"), dataIndex: "orderCount", align: "right" },
          {
            title: t("exceptionCount"),
            key: "exc",
            render: (_, r) => (r.exceptionCount > 0 ? <Space>{r.exceptionCount}<SeverityTag s={r.maxSeverity} /></Space> : "–"),
          },
        ]}
      />
    </>
  );
}

function ExceptionsTab({ version, onOpen }: { version: Version; onOpen: (itemId: number) => void }) {
  const t = useT(planText);
  const { bar, params } = useFilters();
  const [page, setPage] = useState(1);
  const label = (p: number) => version.buckets?.[p - 1]?.label ?? String(p);
  const { data, isFetching } = useQuery({
    queryKey: ["planning", "exceptions", version.id, params, page],
    queryFn: () => api.get<Page<PlanException>>(`/api/planning/versions/${version.id}/exceptions`, { ...params, page, pageSize: 50 }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      {bar}
      <Table<PlanException>
        rowKey="seq"
        size="small"
        loading={isFetching}
        dataSource={data?.items}
        pagination={{ current: page, pageSize: 50, total: data?.total, onChange: setPage, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => onOpen(r.itemId), style: { cursor: "pointer" } })}
        columns={[
          { title: t("severity"), dataIndex: "severity", render: (s: number) => <SeverityTag s={s} /> },
          { title: t("type"), dataIndex: "type", render: (v: string) => t(`exc_${v}` as PlanKey) },
          { title: t("item"), key: "item", render: (_, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
          { title: t("period"), dataIndex: "period", render: (p: number) => label(p) },
          { title: t("quantity"), dataIndex: "quantity", align: "right", render: (v: string) => <span style={num}>{v}</span> },
          { title: t("rescheduleTo"), dataIndex: "rescheduleTo", render: (p: number | null) => (p ? label(p) : "") },
          { title: t("planner"), dataIndex: "plannerName" },
          { title: t("group"), dataIndex: "itemGroup" },
        ]}
      />
    </>
  );
}

function OrdersTab({ version, onPeg }: { version: Version; onPeg: (key: string) => void }) {
  const t = useT(planText);
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const { bar, params } = useFilters();
  const [kind, setKind] = useState<string>("all");
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const { data, isFetching } = useQuery({
    queryKey: ["planning", "orders", version.id, params, kind, page],
    queryFn: () =>
      api.get<Page<PlanOrder>>(`/api/planning/versions/${version.id}/orders`, { ...params, kind: kind === "all" ? undefined : kind, page, pageSize: 50 }),
    placeholderData: keepPreviousData,
  });
  const convertible = can("planning.order.convert") && version.kind === "regenerative";
  function convert() {
    modal.confirm({
      title: t("convertTitle", { n: selected.length }),
      content: t("convertText"),
      okButtonProps: { "data-testid": "convert-confirm" } as ButtonProps,
      onOk: async () => {
        try {
          const r = await api.post<{ productionOrders: unknown[]; requisitions: unknown[] }>("/api/planning/orders/convert", {
            versionId: version.id,
            orderKeys: selected,
          });
          message.success(t("converted", { mo: r.productionOrders.length, pr: r.requisitions.length }));
          setSelected([]);
          await qc.invalidateQueries({ queryKey: ["planning"] });
        } catch (e) {
          onError(e);
        }
      },
    });
  }
  async function firm() {
    try {
      await api.post("/api/planning/orders/firm", { versionId: version.id, orderKeys: selected });
      message.success(t("firmed", { n: selected.length }));
      setSelected([]);
      await qc.invalidateQueries({ queryKey: ["planning"] });
    } catch (e) {
      onError(e);
    }
  }
  return (
    <>
      <Space wrap>
        {bar}
        <Segmented
          style={{ marginBottom: 12 }}
          value={kind}
          onChange={(v) => setKind(String(v))}
          options={[
            { value: "all", label: "∗" },
            { value: "make", label: t("make") },
            { value: "buy", label: t("buy") },
          ]}
          data-testid="orders-kind"
        />
        {convertible && (
          <Space style={{ marginBottom: 12 }}>
            <Button disabled={selected.length === 0} onClick={firm} data-testid="orders-firm">
              {t("firm")}
            </Button>
            <Button type="primary" disabled={selected.length === 0} onClick={convert} data-testid="orders-convert">
              {t("convert")}
            </Button>
          </Space>
        )}
      </Space>
      <Table<PlanOrder>
        rowKey="orderKey"
        size="small"
        loading={isFetching}
        dataSource={data?.items}
        pagination={{ current: page, pageSize: 50, total: data?.total, onChange: setPage, showSizeChanger: false }}
        rowSelection={
          convertible
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (r) => ({ disabled: r.status === "converted", "data-testid": `order-check-${r.orderKey}` }) as object,
              }
            : undefined
        }
        columns={[
          { title: t("item"), key: "item", render: (_, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
          { title: t("makeOrBuy"), dataIndex: "kind", render: (v: string) => <Tag color={v === "make" ? "geekblue" : "green"}>{t(v as PlanKey)}</Tag> },
          { title: t("releaseDate"), dataIndex: "releaseDate" },
          { title: t("dueDate"), dataIndex: "dueDate" },
          { title: t("quantity"), dataIndex: "releaseQuantity", align: "right", render: (v: string) => <span style={num}>{v}</span> },
          { title: t("status"), dataIndex: "status", render: (v: string) => <Tag color={v === "converted" ? "green" : v === "firm" ? "gold" : undefined}>{t(`ost_${v}` as PlanKey)}</Tag> },
          {
            title: t("pegging"),
            key: "peg",
            render: (_, r) => (
              <Button size="small" icon={<BranchesOutlined />} onClick={() => onPeg(r.orderKey)} data-testid={`peg-${r.orderKey}`}>
                {t("pegging")}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

function RecordDrawer({ version, itemId, onClose, onPeg }: { version: Version; itemId: number | null; onClose: () => void; onPeg: (key: string) => void }) {
  const t = useT(planText);
  const { lang } = useLang();
  const { data } = useQuery({
    queryKey: ["planning", "record", version.id, itemId],
    queryFn: () => api.get<ItemRecord>(`/api/planning/versions/${version.id}/record`, { itemId: itemId! }),
    enabled: itemId !== null,
  });
  const rows: { key: string; label: string; values: string[]; danger?: boolean }[] = data
    ? [
        { key: "gross", label: t("rowGross"), values: data.gross },
        { key: "scheduled", label: t("rowScheduled"), values: data.scheduled },
        { key: "projected", label: t("rowProjected"), values: data.projected, danger: true },
        { key: "net", label: t("rowNet"), values: data.net },
        { key: "receipts", label: t("rowReceipts"), values: data.plannedReceipts },
        { key: "releases", label: t("rowReleases"), values: data.plannedReleases },
      ]
    : [];
  const ss = Number(data?.safetyStock ?? 0);
  return (
    <Drawer
      open={itemId !== null}
      onClose={onClose}
      size={1100}
      title={data ? t("recordTitle", { item: `${data.itemCode} ${pickName(lang, data.itemNameZh, data.itemNameEn)}` }) : ""}
      data-testid="record-drawer"
    >
      {data && (
        <Space orientation="vertical" style={{ width: "100%" }} size="middle">
          <Descriptions size="small" column={4} bordered>
            <Descriptions.Item label={t("makeOrBuy")}>{t(data.makeOrBuy)}</Descriptions.Item>
            <Descriptions.Item label={t("leadTime")}>
              {data.leadTime} {t("periodsUnit")} ({data.leadTimeDays} {t("days")})
            </Descriptions.Item>
            <Descriptions.Item label={t("onHand")}>{data.onHand}</Descriptions.Item>
            <Descriptions.Item label={t("safetyStock")}>{data.safetyStock}</Descriptions.Item>
          </Descriptions>
          <Table
            rowKey="key"
            size="small"
            bordered
            pagination={false}
            scroll={{ x: "max-content" }}
            dataSource={rows}
            data-testid="record-table"
            columns={[
              { title: "", dataIndex: "label", fixed: "left" as const, width: 170 },
              ...data.buckets.map((b, i) => ({
                title: <span title={`${b.start} – ${b.end}`}>{b.label}</span>,
                key: `p${b.period}`,
                align: "right" as const,
                render: (_: unknown, r: (typeof rows)[number]) => {
                  const v = r.values[i];
                  const low = r.danger && Number(v) < ss;
                  return (
                    <Typography.Text type={low ? "danger" : v === "0" ? "secondary" : undefined} style={num} data-testid={`record-${r.key}-${b.period}`}>
                      {v}
                    </Typography.Text>
                  );
                },
              })),
            ]}
          />
          <Typography.Title level={5}>{t("tabOrders")}</Typography.Title>
          <Table<PlanOrder>
            rowKey="orderKey"
            size="small"
            pagination={false}
            dataSource={data.orders}
            columns={[
              { title: t("orderKey"), dataIndex: "orderKey", render: (k: string) => orderLabel(k, data.itemCode, data.buckets) },
              { title: t("releaseDate"), dataIndex: "releaseDate" },
              { title: t("dueDate"), dataIndex: "dueDate" },
              { title: t("quantity"), dataIndex: "quantity", align: "right" },
              { title: t("status"), dataIndex: "status", render: (v: string) => t(`ost_${v}` as PlanKey) },
              {
                title: t("pegging"),
                key: "peg",
                render: (_, r) => (
                  <Button size="small" icon={<BranchesOutlined />} onClick={() => onPeg(r.orderKey)} data-testid={`record-peg-${r.orderKey}`}>
                    {t("pegging")}
                  </Button>
                ),
              },
            ]}
          />
          {data.exceptions.length > 0 && (
            <>
              <Typography.Title level={5}>{t("tabExceptions")}</Typography.Title>
              <Space wrap>
                {data.exceptions.map((e) => (
                  <Tag key={`${e.type}-${e.period}-${e.quantity}`} color={SEVERITY_COLOR[e.severity]}>
                    {t(`exc_${e.type}` as PlanKey)} · {data.buckets[e.period - 1]?.label} · {e.quantity}
                    {e.rescheduleTo ? ` → ${data.buckets[e.rescheduleTo - 1]?.label}` : ""}
                  </Tag>
                ))}
              </Space>
            </>
          )}
          {data.demand.length > 0 && (
            <>
              <Typography.Title level={5}>{t("demandLines")}</Typography.Title>
              <Table
                rowKey="ref"
                size="small"
                pagination={false}
                dataSource={data.demand}
                columns={[
                  { title: t("ref"), dataIndex: "ref" },
                  { title: t("source"), dataIndex: "source", render: (v: string) => t(`src_${v}` as PlanKey) },
                  { title: t("period"), dataIndex: "period", render: (p: number) => data.buckets[p - 1]?.label },
                  { title: t("quantity"), dataIndex: "quantity", align: "right" },
                  { title: "", dataIndex: "label" },
                ]}
              />
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function PeggingModal({ version, orderKey, onClose }: { version: Version; orderKey: string | null; onClose: () => void }) {
  const t = useT(planText);
  const { lang } = useLang();
  const { data } = useQuery({
    queryKey: ["planning", "pegging", version.id, orderKey],
    queryFn: () => api.get<Pegging>(`/api/planning/versions/${version.id}/pegging`, { orderKey: orderKey! }),
    enabled: orderKey !== null,
  });
  const tree = useMemo(() => {
    if (!data) return null;
    let n = 0;
    const keys: string[] = [];
    const conv = (node: PegNode): { key: string; title: React.ReactNode; children?: unknown[] } => {
      const key = `k${n++}`;
      keys.push(key);
      let title: React.ReactNode;
      if (node.kind === "order") {
        const it = data.items[String(node.itemId)];
        const due = data.buckets[(node.receiptPeriod ?? 1) - 1]?.label;
        title = (
          <span data-testid={`peg-node-${it?.code}`}>
            <Tag color="geekblue">{it?.code}</Tag>
            {pickName(lang, it?.nameZh, it?.nameEn)} · {t("quantity")} {node.orderQty} · {t("dueDate")} {due}
            {node.qty !== node.orderQty && <Typography.Text type="secondary"> (→ {node.qty})</Typography.Text>}
          </span>
        );
      } else if (node.kind === "demand") {
        title = (
          <span data-testid={`peg-demand-${node.ref}`}>
            <Tag color="green">{t(`src_${node.source ?? "forecast"}` as PlanKey)}</Tag>
            {node.label ?? node.ref} · {node.qty}
          </span>
        );
      } else {
        title = (
          <span>
            <Tag>{t(`peg_${node.kind}` as PlanKey)}</Tag>
            {node.qty}
          </span>
        );
      }
      return { key, title, children: node.children?.map(conv) };
    };
    return { root: conv(data.tree), keys };
  }, [data, lang, t]);
  return (
    <Modal open={orderKey !== null} onCancel={onClose} footer={null} width={860} title={t("peggingTitle", { order: orderKey && data ? orderLabel(orderKey, data.items[orderKey.split(":")[0]]?.code, data.buckets) : "" })} data-testid="pegging-modal">
      {tree && (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Tree treeData={[tree.root] as never} defaultExpandedKeys={tree.keys} showLine selectable={false} data-testid="pegging-tree" />
          <Typography.Title level={5}>{t("pegDemand")}</Typography.Title>
          <Table
            rowKey="ref"
            size="small"
            pagination={false}
            dataSource={data?.demand}
            columns={[
              { title: t("ref"), dataIndex: "ref" },
              { title: "", dataIndex: "label" },
              { title: t("quantity"), dataIndex: "qty", align: "right" },
            ]}
          />
        </Space>
      )}
    </Modal>
  );
}

function RunModal({ onClose, onStarted }: { onClose: () => void; onStarted: (id: number) => void }) {
  const t = useT(planText);
  const onError = useApiError();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  async function submit() {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<{ id: number }>("/api/planning/runs", { ...values, name: values.name || undefined });
      onStarted(r.id);
      onClose();
    } catch (e) {
      onError(e, { form });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open onCancel={onClose} onOk={submit} confirmLoading={busy} title={t("runTitle")} okButtonProps={{ "data-testid": "run-submit" } as ButtonProps}>
      <Form form={form} layout="vertical" initialValues={{ bucket: "week", periods: 12 }}>
        <Form.Item name="name" label={t("runName")}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="bucket" label={t("periods")}>
          <Segmented
            options={[
              { value: "week", label: t("bucketWeek") },
              { value: "day", label: t("bucketDay") },
            ]}
          />
        </Form.Item>
        <Form.Item name="periods" label={t("periods")}>
          <InputNumber min={1} max={366} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function WhatIfModal({ base, onClose, onStarted }: { base: Version; onClose: () => void; onStarted: (id: number) => void }) {
  const t = useT(planText);
  const { lang } = useLang();
  const onError = useApiError();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const items = useQuery({
    queryKey: ["planning", "items", base.id, "all"],
    queryFn: () => api.get<Page<VersionItem>>(`/api/planning/versions/${base.id}/items`, { pageSize: 500, sort: "itemCode" }),
  });
  const itemOptions = (items.data?.items ?? []).map((i) => ({ value: i.itemId, label: `${i.itemCode} ${pickName(lang, i.itemNameZh, i.itemNameEn)}` }));
  const periodOptions = (base.buckets ?? []).map((b) => ({ value: b.period, label: b.label }));
  async function submit() {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<{ id: number }>("/api/planning/what-ifs", {
        baseVersionId: base.id,
        name: values.name || undefined,
        demand: (values.demand ?? []).filter((d: { itemId?: number }) => d?.itemId).map((d: { itemId: number; period: number; quantity: string | number }) => ({ ...d, quantity: String(d.quantity ?? "0") })),
        items: (values.items ?? [])
          .filter((d: { itemId?: number }) => d?.itemId)
          .map((d: { itemId: number; safetyStock?: string | number; leadTime?: number }) => ({
            itemId: d.itemId,
            ...(d.safetyStock !== undefined && d.safetyStock !== null ? { safetyStock: String(d.safetyStock) } : {}),
            ...(d.leadTime !== undefined && d.leadTime !== null ? { leadTime: d.leadTime } : {}),
          })),
      });
      onStarted(r.id);
      onClose();
    } catch (e) {
      onError(e, { form });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open onCancel={onClose} onOk={submit} confirmLoading={busy} width={760} title={t("whatIfTitle", { code: base.code })} okButtonProps={{ "data-testid": "what-if-submit" } as ButtonProps}>
      <Alert type="info" showIcon title={t("whatIfHint")} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" initialValues={{ demand: [{}], items: [] }}>
        <Form.Item name="name" label={t("runName")}>
          <Input maxLength={200} />
        </Form.Item>
        <Typography.Title level={5}>{t("demandChange")}</Typography.Title>
        <Form.List name="demand">
          {(fields, { add }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, "itemId"]} style={{ width: 320 }}>
                    <Select showSearch optionFilterProp="label" options={itemOptions} placeholder={t("item")} data-testid={`wi-demand-item-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, "period"]} style={{ width: 140 }}>
                    <Select options={periodOptions} placeholder={t("period")} data-testid={`wi-demand-period-${f.name}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, "quantity"]}>
                    <InputNumber min="0" stringMode placeholder={t("quantity")} data-testid={`wi-demand-qty-${f.name}`} />
                  </Form.Item>
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({})}>
                {t("addRow")}
              </Button>
            </>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t("itemChange")}
        </Typography.Title>
        <Form.List name="items">
          {(fields, { add }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, "itemId"]} style={{ width: 320 }}>
                    <Select showSearch optionFilterProp="label" options={itemOptions} placeholder={t("item")} />
                  </Form.Item>
                  <Form.Item name={[f.name, "safetyStock"]}>
                    <InputNumber min="0" stringMode placeholder={t("safetyStock")} />
                  </Form.Item>
                  <Form.Item name={[f.name, "leadTime"]}>
                    <InputNumber min={0} max={1000} placeholder={t("leadTime")} />
                  </Form.Item>
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({})}>
                {t("addRow")}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

interface CompareRow {
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  grossA: string | null;
  grossB: string | null;
  plannedA: string | null;
  plannedB: string | null;
  ordersA: number | null;
  ordersB: number | null;
  exceptionsA: number | null;
  exceptionsB: number | null;
  minProjectedA: string | null;
  minProjectedB: string | null;
}

function CompareTab({ version, versions }: { version: Version; versions: Version[] }) {
  const t = useT(planText);
  const [other, setOther] = useState<number | undefined>(version.baseVersionId ?? undefined);
  useEffect(() => setOther(version.baseVersionId ?? undefined), [version.baseVersionId]);
  const { data, isFetching } = useQuery({
    queryKey: ["planning", "compare", other, version.id],
    queryFn: () => api.get<{ a: Version; b: Version; items: CompareRow[] }>("/api/planning/compare", { a: other!, b: version.id }),
    enabled: other !== undefined,
  });
  const pair = (a: string | number | null, b: string | number | null) => (
    <span style={num}>
      {a ?? "–"}
      {String(a) !== String(b) ? (
        <Typography.Text type={Number(b) > Number(a) ? "danger" : "success"}> → {b ?? "–"}</Typography.Text>
      ) : null}
    </span>
  );
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        {t("compareWith")}
        <Select
          style={{ width: 320 }}
          value={other}
          onChange={setOther}
          data-testid="compare-with"
          options={versions.filter((x) => x.status === "done" && x.id !== version.id).map((x) => ({ value: x.id, label: `${x.code} · ${x.name}` }))}
        />
        <Typography.Text type="secondary">{t("compareHint")}</Typography.Text>
      </Space>
      {data && (
        <Descriptions size="small" bordered column={2} style={{ marginBottom: 12 }}>
          {(["a", "b"] as const).map((k) => (
            <Descriptions.Item key={k} label={`${k === "a" ? t("versionA") : t("versionB")} · ${data[k].code}`}>
              {t("counts", {
                items: data[k].itemCount,
                bom: data[k].bomLineCount,
                demand: data[k].demandCount,
                receipts: data[k].receiptCount,
                orders: data[k].orderCount,
                exceptions: data[k].exceptionCount,
              })}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      <Table<CompareRow>
        rowKey="itemId"
        size="small"
        loading={isFetching}
        dataSource={data?.items}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        data-testid="compare-table"
        columns={[
          { title: t("item"), key: "item", render: (_, r) => <ItemCell code={r.itemCode} nameZh={r.itemNameZh} nameEn={r.itemNameEn} /> },
          { title: t("grossQty"), key: "g", align: "right", render: (_, r) => pair(r.grossA, r.grossB) },
          { title: t("plannedQty"), key: "p", align: "right", render: (_, r) => pair(r.plannedA, r.plannedB) },
          { title: t("orderCount"), key: "o", align: "right", render: (_, r) => pair(r.ordersA, r.ordersB) },
          { title: t("exceptionCount"), key: "e", align: "right", render: (_, r) => pair(r.exceptionsA, r.exceptionsB) },
          { title: t("minProjected"), key: "m", align: "right", render: (_, r) => pair(r.minProjectedA, r.minProjectedB) },
        ]}
      />
      {!other && <Empty />}
    </>
  );
}
