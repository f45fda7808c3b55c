import { EditOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Card, Col, DatePicker, Empty, InputNumber, Radio, Result, Row, Space, Statistic, Table, Tabs, Tag, Typography } from "antd";
import dayjs from "dayjs";
import { type ReactNode, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { ApiError, api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { CostElements, CostRollup, Explosion, ExplosionRow, Total, WhereUsed, WhereUsedRow } from "./api";
import { engText } from "./i18n";
import { ItemSelect, money, Qty, trimZeros } from "./parts";

type Tree<T> = T & { children?: Tree<T>[] };

/**
 * Depth-first rows with levels → nested rows for antd's tree table. Rows blown through a phantom carry
 * the phantom's level, so they hang under the phantom's parent, where the requirement really is.
 */
export function nest<T extends { level: number }>(rows: T[]): Tree<T>[] {
  const roots: Tree<T>[] = [];
  const stack: Tree<T>[] = [];
  for (const r of rows) {
    const node: Tree<T> = { ...r };
    stack.length = r.level - 1;
    const parent = stack[r.level - 2];
    if (!parent) roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
    stack[r.level - 1] = node;
  }
  return roots;
}

function keysOf<T extends { key: string | number; children?: T[] }>(nodes: T[]): (string | number)[] {
  return nodes.flatMap((n) => (n.children ? [n.key, ...keysOf(n.children)] : []));
}

function ItemCell({ code, nameZh, nameEn, extra }: { code: string; nameZh: string; nameEn: string; extra?: ReactNode }) {
  const { lang } = useLang();
  return (
    <Space size={4} wrap>
      <b>{code}</b>
      <span>{pickName(lang, nameZh, nameEn)}</span>
      {extra}
    </Space>
  );
}

function problemText(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.detail || fallback : fallback;
}

type KeyedRow = ExplosionRow & { key: number };

function TreeTab({ data }: { data: Explosion }) {
  const t = useT(engText);
  // Rows are depth first; their position is a stable key (paths can repeat through shared sub-assemblies).
  const tree = useMemo(() => nest<KeyedRow>(data.rows.map((r, i) => ({ ...r, key: i }))), [data.rows]);
  const all = useMemo(() => keysOf(tree), [tree]);
  const [expanded, setExpanded] = useState<readonly React.Key[] | null>(null);
  const item = (id: number) => data.items[id];
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Button size="small" onClick={() => setExpanded(all)} data-testid="tree-expand-all">
          {t("expandAll")}
        </Button>
        <Button size="small" onClick={() => setExpanded([])}>
          {t("collapseAll")}
        </Button>
        <Typography.Text type="secondary">
          {data.item.code} · {t("bomVersion")} {data.bom.versionCode} · {t("asOf")} {data.asOf} · {t("lineCount")} {data.rows.length}
        </Typography.Text>
      </Space>
      <Table<Tree<KeyedRow>>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={tree}
        data-testid="bom-tree"
        expandable={{ expandedRowKeys: expanded ?? all, onExpandedRowsChange: (k) => setExpanded(k) }}
        scroll={{ x: 1000, y: data.rows.length > 300 ? 640 : undefined }}
        virtual={data.rows.length > 300}
        columns={[
          {
            title: t("component"),
            render: (_, r) => (
              <span data-testid={`tree-row-${r.code}`} data-level={r.level}>
                <ItemCell
                  code={r.code}
                  nameZh={item(r.itemId)?.nameZh ?? ""}
                  nameEn={item(r.itemId)?.nameEn ?? ""}
                  extra={
                    <>
                      {r.viaPhantom && <Tag color="geekblue">{t("viaPhantom", { code: item(r.phantomItemId ?? 0)?.code ?? "?" })}</Tag>}
                      {r.byProduct && <Tag color="gold">{t("byProduct")}</Tag>}
                      {r.phantom && !r.viaPhantom && <Tag color="geekblue">{t("phantom")}</Tag>}
                    </>
                  }
                />
              </span>
            ),
          },
          { title: t("level"), dataIndex: "level", width: 60, align: "center" },
          {
            title: t("qtyPerParent"),
            width: 170,
            align: "right",
            render: (_, r) =>
              data.quantitiesHidden ? (
                <Qty value={null} />
              ) : (
                <span>
                  <Qty value={r.lineQty} unit={r.lineUom} />
                  {r.baseQty && r.baseQty !== "1.000000" && <Typography.Text type="secondary"> / {trimZeros(r.baseQty)}</Typography.Text>}
                </span>
              ),
          },
          { title: t("scrapPct"), dataIndex: "scrapPct", width: 80, align: "right", render: (v: string | null) => <Qty value={v} /> },
          {
            title: `${t("extendedQty")}${data.qty ? ` (× ${trimZeros(data.qty)})` : ""}`,
            dataIndex: "extendedQty",
            width: 170,
            align: "right",
            render: (v: string | null, r) => <Qty value={v} unit={item(r.itemId)?.uom} testId={`tree-qty-${r.code}`} />,
          },
          { title: t("bomVersion"), dataIndex: "bomVersion", width: 90 },
        ]}
      />
    </>
  );
}

function SummaryTab({ data }: { data: Explosion }) {
  const t = useT(engText);
  const columns = [
    {
      title: t("component"),
      render: (_: unknown, r: Total) => <ItemCell code={r.code} nameZh={data.items[r.itemId]?.nameZh ?? ""} nameEn={data.items[r.itemId]?.nameEn ?? ""} />,
    },
    {
      title: t("totalRequirement"),
      dataIndex: "qty",
      width: 200,
      align: "right" as const,
      render: (v: string | null, r: Total) => <Qty value={v} unit={data.items[r.itemId]?.uom} testId={`summary-qty-${r.code}`} />,
    },
  ];
  return (
    <>
      <Table size="small" rowKey="itemId" pagination={{ pageSize: 50, showSizeChanger: false }} dataSource={data.requirements} columns={columns} data-testid="bom-summary" />
      {data.byProducts.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("byProducts")}
          </Typography.Title>
          <Table size="small" rowKey="itemId" pagination={false} dataSource={data.byProducts} columns={columns} data-testid="bom-byproducts" />
        </>
      )}
    </>
  );
}

function WhereUsedTab({ itemId, asOf }: { itemId: number; asOf: string }) {
  const t = useT(engText);
  const [levels, setLevels] = useState<"single" | "all">("all");
  const { data, error, isFetching } = useQuery({
    queryKey: ["masterdata", "where-used", itemId, asOf, levels],
    queryFn: () => api.get<WhereUsed>("/api/masterdata/where-used", { itemId, asOf, levels }),
  });
  const tree = useMemo(() => nest(data?.rows ?? []), [data]);
  return (
    <>
      <Radio.Group value={levels} onChange={(e) => setLevels(e.target.value)} style={{ marginBottom: 8 }} data-testid="where-used-levels">
        <Radio.Button value="single">{t("levelsSingle")}</Radio.Button>
        <Radio.Button value="all">{t("levelsAll")}</Radio.Button>
      </Radio.Group>
      {error ? (
        <Alert type="error" showIcon title={problemText(error, "")} />
      ) : (
        <Table<Tree<WhereUsedRow>>
          size="small"
          rowKey="key"
          loading={isFetching}
          pagination={false}
          dataSource={tree}
          data-testid="where-used"
          expandable={{ defaultExpandAllRows: true }}
          key={`${levels}-${data?.rows.length ?? 0}`}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noWhereUsed")} /> }}
          columns={[
            {
              title: t("usedIn"),
              render: (_, r) => (
                <span data-testid={`where-used-${r.code}`}>
                  <ItemCell
                    code={r.code}
                    nameZh={r.nameZh}
                    nameEn={r.nameEn}
                    extra={
                      <>
                        {r.phantom && <Tag color="geekblue">{t("phantom")}</Tag>}
                        {r.topLevel && <Tag color="green">{t("topLevel")}</Tag>}
                      </>
                    }
                  />
                </span>
              ),
            },
            { title: t("level"), dataIndex: "level", width: 60, align: "center" },
            { title: t("qtyPerParent"), dataIndex: "qtyPer", width: 140, align: "right", render: (v: string | null) => <Qty value={v} /> },
            { title: t("scrapPct"), dataIndex: "scrapPct", width: 80, align: "right", render: (v: string | null) => <Qty value={v} /> },
            {
              title: t("qtyInParent"),
              dataIndex: "extendedQty",
              width: 170,
              align: "right",
              render: (v: string | null) => <Qty value={v} unit={data?.item.uom} />,
            },
            {
              title: t("bomVersion"),
              width: 110,
              render: (_, r) => <Link to={`/masterdata/boms/${r.bomId}`}>{r.bomVersion}</Link>,
            },
          ]}
        />
      )}
    </>
  );
}

function Elements({ title, e, testId }: { title: string; e: CostElements | null; testId: string }) {
  const t = useT(engText);
  if (!e) return null;
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Row gutter={8}>
        {(["material", "labour", "machine", "overhead"] as const).map((k) => (
          <Col span={6} key={k}>
            <Statistic title={t(k)} value={money(e[k], 2)} valueStyle={{ fontSize: 18 }} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function CostTab({ itemId, asOf }: { itemId: number; asOf: string }) {
  const t = useT(engText);
  const { data, error, isFetching } = useQuery({
    queryKey: ["masterdata", "cost-rollup", itemId, asOf],
    queryFn: () => api.get<CostRollup>("/api/masterdata/cost-rollup", { itemId, asOf }),
  });
  const tree = useMemo(() => nest(data?.tree ?? []), [data]);
  if (error) return <Alert type="error" showIcon title={problemText(error, "")} />;
  if (!data) return <Table loading={isFetching} />;
  const variance = (() => {
    const [a, b] = [data.unitCost, data.currentStandardCost].map((v) => BigInt(v.replace(".", "")));
    const d = a - b;
    const s = (d < 0n ? -d : d).toString().padStart(7, "0");
    return `${d < 0n ? "-" : d > 0n ? "+" : ""}${s.slice(0, -6)}.${s.slice(-6)}`;
  })();
  return (
    <Space orientation="vertical" style={{ width: "100%" }} size={12}>
      {data.zeroCostComponents.length > 0 && <Alert type="warning" showIcon title={t("zeroCost", { codes: data.zeroCostComponents.join(", ") })} />}
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Card size="small" data-testid="cost-unit">
            <Statistic title={`${t("unitCost")} (${data.item.code}, 1 ${data.item.uom})`} value={money(data.unitCost, 2)} />
            <Typography.Text type="secondary">
              {t("currentStandard")}: {money(data.currentStandardCost, 2)} · {t("variance")}: {money(variance, 2)}
            </Typography.Text>
            <div>
              <Typography.Text type="secondary">
                BOM {data.bom?.versionCode ?? "—"} · {t("routing")} {data.routing?.versionCode ?? t("none")}
              </Typography.Text>
            </div>
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Elements title={t("rolledUp")} e={data.rolledUp} testId="cost-rolled-up" />
        </Col>
      </Row>
      <Card size="small" title={t("costByLevel")}>
        <Table
          size="small"
          rowKey="itemId"
          pagination={false}
          dataSource={data.items}
          data-testid="cost-items"
          scroll={{ x: 900 }}
          columns={[
            { title: t("item"), render: (_, r) => <ItemCell code={r.code} nameZh={r.nameZh} nameEn={r.nameEn} /> },
            { title: t("lowLevelCode"), dataIndex: "lowLevelCode", width: 80, align: "center" },
            { title: t("routing"), dataIndex: "routingVersion", width: 80, render: (v: string | null) => v ?? "—" },
            ...(["material", "labour", "machine", "overhead"] as const).map((k) => ({
              title: `${t(k)} (${t("thisLevel")})`,
              width: 120,
              align: "right" as const,
              render: (_: unknown, r: CostRollup["items"][number]) => money(r.thisLevel[k], 2),
            })),
            { title: t("unitCost"), dataIndex: "unitCost", width: 120, align: "right", render: (v: string) => <b data-testid="cost-item-unit">{money(v, 2)}</b> },
            { title: t("currentStandard"), dataIndex: "currentStandardCost", width: 120, align: "right", render: (v: string) => money(v, 2) },
          ]}
        />
      </Card>
      <Card size="small" title={t("tabTree")}>
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={tree}
          expandable={{ defaultExpandAllRows: true }}
          data-testid="cost-tree"
          scroll={{ x: 900 }}
          columns={[
            {
              title: t("component"),
              render: (_, r) => (
                <ItemCell
                  code={r.code}
                  nameZh={r.nameZh}
                  nameEn={r.nameEn}
                  extra={
                    <>
                      <Tag color={r.manufactured ? "purple" : "default"}>{r.manufactured ? t("costSource_rolled") : t("costSource_standard")}</Tag>
                      {r.byProduct && <Tag color="gold">{t("byProduct")}</Tag>}
                    </>
                  }
                />
              ),
            },
            { title: t("extendedQty"), dataIndex: "extendedQty", width: 150, align: "right", render: (v: string | null, r) => <Qty value={v} unit={r.uom} /> },
            { title: t("unitCost"), dataIndex: "unitCost", width: 130, align: "right", render: (v: string | null) => (v === null ? "—" : money(v, 4)) },
            { title: t("extendedCost"), dataIndex: "extendedCost", width: 130, align: "right", render: (v: string | null) => (v === null ? "—" : money(v, 2)) },
          ]}
        />
      </Card>
    </Space>
  );
}

export default function BomAnalysisPage() {
  const t = useT(engText);
  const tc = useT(common);
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const itemId = Number(params.get("itemId")) || null;
  const bomId = Number(params.get("bomId")) || undefined;
  const asOf = params.get("asOf") ?? dayjs().format("YYYY-MM-DD");
  const [qtyInput, setQtyInput] = useState<string | null>(params.get("qty"));
  const qty = useDebounced(qtyInput, 400);
  const tab = params.get("tab") ?? "tree";
  const set = (patch: Record<string, string | null | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined || v === "") next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };
  const validQty = qty && /^\d{1,12}(\.\d{1,6})?$/.test(qty) ? qty : undefined;
  const explosion = useQuery({
    queryKey: ["masterdata", "bom-explosion", itemId, validQty, asOf, bomId],
    queryFn: () => api.get<Explosion>("/api/masterdata/bom-explosion", { itemId, qty: validQty, asOf, bomId }),
    enabled: itemId !== null,
  });
  const data = explosion.data;

  // An item without a BOM can still be looked up where it is used and costed (a bought part has no tree).
  const needsTree = (node: (d: Explosion) => ReactNode) =>
    explosion.error ? (
      <Result status="warning" title={problemText(explosion.error, tc("loadFailed"))} data-testid="analysis-error" />
    ) : data ? (
      node(data)
    ) : (
      <Table loading />
    );
  const tabs = [
    { key: "tree", label: t("tabTree"), children: needsTree((d) => <TreeTab data={d} />) },
    ...(can("masterdata.bom.quantity.read") ? [{ key: "summary", label: t("tabSummary"), children: needsTree((d) => <SummaryTab data={d} />) }] : []),
    { key: "where-used", label: t("tabWhereUsed"), children: itemId ? <WhereUsedTab itemId={itemId} asOf={asOf} /> : null },
    ...(can("masterdata.item.cost.read") ? [{ key: "cost", label: t("tabCost"), children: itemId ? <CostTab itemId={itemId} asOf={asOf} /> : null }] : []),
  ];

  return (
    <>
      <PageHeader
        title={t("analysisTitle")}
        extra={
          data && (
            <Link to={`/masterdata/boms/${data.bom.id}`}>
              <Button icon={<EditOutlined />} data-testid="analysis-open-bom">
                BOM {data.bom.versionCode}
              </Button>
            </Link>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size={12}>
          <ItemSelect value={itemId} onChange={(v) => set({ itemId: v ? String(v) : null, bomId: null })} testId="analysis-item" style={{ width: 380 }} />
          <Space size={4}>
            <Typography.Text type="secondary">{t("qty")}</Typography.Text>
            <InputNumber
              stringMode
              min="0"
              value={qtyInput ?? undefined}
              placeholder={data?.bom.baseQty ? trimZeros(data.bom.baseQty) : "1"}
              onChange={(v) => {
                setQtyInput(v ? String(v) : null);
                set({ qty: v ? String(v) : null });
              }}
              style={{ width: 140 }}
              data-testid="analysis-qty"
            />
            {data && <Typography.Text type="secondary">{data.item.uom}</Typography.Text>}
          </Space>
          <Space size={4}>
            <Typography.Text type="secondary">{t("asOf")}</Typography.Text>
            <DatePicker value={dayjs(asOf)} allowClear={false} onChange={(d) => set({ asOf: d?.format("YYYY-MM-DD") })} data-testid="analysis-date" />
          </Space>
          {bomId && data && (
            <Tag closable onClose={() => set({ bomId: null })} color="blue">
              BOM {data.bom.versionCode}
            </Tag>
          )}
        </Space>
      </Card>
      {data?.quantitiesHidden && <Alert type="info" showIcon title={t("hiddenQtyHint")} style={{ marginBottom: 12 }} />}
      <Card size="small">
        {!itemId ? (
          <Empty description={t("analysisPick")} />
        ) : (
          <Tabs activeKey={tab} onChange={(k) => set({ tab: k })} items={tabs} data-testid="analysis-tabs" />
        )}
      </Card>
    </>
  );
}
