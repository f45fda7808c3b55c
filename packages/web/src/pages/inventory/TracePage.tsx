import { ApartmentOutlined, ArrowLeftOutlined, ArrowRightOutlined, InboxOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Card, Col, Empty, Input, List, Row, Skeleton, Space, Tag, Tree, Typography } from "antd";
import type { DataNode } from "antd/es/tree";
import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api, type Page } from "../../api/client";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { type Lang, pickName, useLang, useT } from "../../i18n/core";
import { type InvKey, invText } from "./i18n";
import { docLink } from "./MovesPage";
import { Expiry, MoveTypeTag } from "./parts";

interface LotRow {
  id: number;
  lotNo: string;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  expiryDate: string | null;
  supplierLot: string | null;
  supplierCode: string | null;
  onHand: string;
}

interface TraceMove {
  id: number;
  moveType: string;
  quantity: string;
  fromLocationCode: string;
  fromKind: string;
  toLocationCode: string;
  toKind: string;
  docType: string;
  docId: number;
  docNumber: string | null;
  postingDate: string;
  productionRef: string | null;
  reversalOf: number | null;
  reversedBy: number | null;
}

interface TraceNode {
  lotId: number;
  lotNo: string;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uom: string;
  expiryDate: string | null;
  supplierLot: string | null;
  supplierName: string | null;
  onHand: { locationCode: string; quantity: string }[];
  moves: TraceMove[];
  links: { productionRef: string; lots: TraceNode[] }[];
  repeated?: boolean;
}

type T = (key: InvKey, params?: Record<string, string | number>) => string;

function toTree(n: TraceNode, t: T, lang: Lang, direction: "forward" | "backward", path: string): DataNode {
  const lotTitle = (
    <Space size={6} wrap data-testid={`trace-${direction}-lot-${n.lotNo}`}>
      <InboxOutlined />
      <Typography.Text strong>{n.lotNo}</Typography.Text>
      <Typography.Text>
        {n.itemCode} {pickName(lang, n.itemNameZh, n.itemNameEn)}
      </Typography.Text>
      {n.supplierLot && <Tag color="geekblue">{`${t("supplierLot")} ${n.supplierLot}`}</Tag>}
      {n.expiryDate && <Expiry date={n.expiryDate} />}
      {n.onHand.map((o) => (
        <Tag key={o.locationCode} color="green">{`${t("stillOnHand")} ${o.locationCode}: ${o.quantity} ${n.uom}`}</Tag>
      ))}
      {n.repeated && <Typography.Text type="secondary">{t("repeated")}</Typography.Text>}
    </Space>
  );
  const moves: DataNode[] = n.moves.map((m) => ({
    key: `${path}/m${m.id}`,
    isLeaf: true,
    title: (
      <Space size={6} wrap>
        <MoveTypeTag type={m.moveType} />
        {m.reversalOf && <Tag color="orange">{t("reversalTag")}</Tag>}
        {m.reversedBy && <Tag>{t("reversedTag")}</Tag>}
        <Typography.Text type="secondary">{m.postingDate}</Typography.Text>
        <Link to={docLink(m.docType, m.docId)}>{m.docNumber ?? `#${m.docId}`}</Link>
        <Typography.Text>
          {m.quantity} {n.uom}
        </Typography.Text>
        <Typography.Text type="secondary">
          {m.fromLocationCode} → {m.toLocationCode}
        </Typography.Text>
        {m.productionRef && <Tag>{m.productionRef}</Tag>}
      </Space>
    ),
  }));
  const links: DataNode[] = n.links.map((l) => ({
    key: `${path}/p${l.productionRef}`,
    title: (
      <Space size={6}>
        <ApartmentOutlined />
        <Typography.Text strong>{t("producedUnder", { ref: l.productionRef })}</Typography.Text>
        <Typography.Text type="secondary">{direction === "forward" ? t("madeInto") : t("madeFrom")}</Typography.Text>
      </Space>
    ),
    children: l.lots.map((c) => toTree(c, t, lang, direction, `${path}/p${l.productionRef}/l${c.lotId}`)),
  }));
  return { key: path, title: lotTitle, children: [...moves, ...links] };
}

function allKeys(n: DataNode): React.Key[] {
  return [n.key, ...(n.children ?? []).flatMap(allKeys)];
}

function TraceTree({ lotId, direction }: { lotId: number; direction: "forward" | "backward" }) {
  const t = useT(invText);
  const { lang } = useLang();
  const { data, isLoading } = useQuery({
    queryKey: ["inventory", "trace", lotId, direction],
    queryFn: () => api.get<TraceNode>("/api/inventory/trace", { lotId, direction }),
  });
  if (isLoading || !data) return <Skeleton active />;
  const tree = toTree(data, t as T, lang, direction, `l${data.lotId}`);
  return <Tree treeData={[tree]} defaultExpandedKeys={allKeys(tree)} showLine selectable={false} data-testid={`trace-${direction}`} />;
}

/** Lot trace both ways: where a lot went and what was made of it; what a lot was made from and where that came from. */
export default function TracePage() {
  const t = useT(invText);
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const lotId = params.get("lotId") ? Number(params.get("lotId")) : null;
  const [q, setQ] = useState(params.get("q") ?? "");
  const dq = useDebounced(q.trim(), 300);
  const lots = useQuery({
    queryKey: ["inventory", "lots", dq],
    queryFn: () => api.get<Page<LotRow>>("/api/inventory/lots", { q: dq || undefined, pageSize: 30 }),
  });
  return (
    <>
      <PageHeader title={t("traceTitle")} />
      <Typography.Paragraph type="secondary">{t("traceHint")}</Typography.Paragraph>
      <Row gutter={12}>
        <Col xs={24} lg={7}>
          <Card size="small" title={t("traceLots")}>
            <Input.Search allowClear placeholder={t("traceSearch")} value={q} onChange={(e) => setQ(e.target.value)} data-testid="trace-search" style={{ marginBottom: 8 }} />
            <List<LotRow>
              size="small"
              loading={lots.isLoading}
              dataSource={lots.data?.items ?? []}
              style={{ maxHeight: "calc(100vh - 300px)", overflow: "auto" }}
              renderItem={(l) => (
                <List.Item
                  onClick={() => setParams({ lotId: String(l.id), q })}
                  style={{ cursor: "pointer", background: l.id === lotId ? "#e6f4ff" : undefined, paddingInline: 8 }}
                  data-testid={`trace-lot-${l.lotNo}`}
                >
                  <List.Item.Meta
                    title={
                      <Space size={4}>
                        <Typography.Text strong>{l.lotNo}</Typography.Text>
                        {l.supplierLot && <Tag color="geekblue">{l.supplierLot}</Tag>}
                      </Space>
                    }
                    description={`${l.itemCode} ${pickName(lang, l.itemNameZh, l.itemNameEn)} · ${t("onHand")} ${l.onHand} ${l.uom}`}
                  />
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={17}>
          {lotId === null ? (
            <Card size="small">
              <Empty description={t("traceSelect")} />
            </Card>
          ) : (
            <Space orientation="vertical" style={{ width: "100%" }} size={12}>
              <Card size="small" title={<Space><ArrowRightOutlined />{t("forward")}</Space>}>
                <TraceTree lotId={lotId} direction="forward" />
              </Card>
              <Card size="small" title={<Space><ArrowLeftOutlined />{t("backward")}</Space>}>
                <TraceTree lotId={lotId} direction="backward" />
              </Card>
            </Space>
          )}
        </Col>
      </Row>
    </>
  );
}
