import { useQuery } from "@tanstack/react-query";
import { Card, Descriptions, Empty, Skeleton, Space, Tag, Typography } from "antd";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { pickName, useLang, useT } from "../../i18n/core";
import type { Version } from "./api";
import { type PlanKey, planText } from "./i18n";
import { AuditHistory, type PegShare, PegTable } from "./orderParts";

export interface ProductionOrder {
  id: number;
  orderNo: string;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uomCode: string;
  quantity: string;
  startDate: string | null;
  dueDate: string;
  state: string;
  bomId: number | null;
  bomVersion: string | null;
  routingId: number | null;
  routingVersion: string | null;
  sourcePlanVersionId: number | null;
  sourcePlannedOrder: string | null;
  pegging: PegShare[];
  note: string | null;
  version: number;
  createdAt: string;
  createdByName: string | null;
  updatedAt: string;
}

/** One production order: what, how much, when, which BOM and routing, where it came from and whom it serves. */
export default function ProductionOrderPage() {
  const { id } = useParams();
  const t = useT(planText);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const orderId = Number(id);
  const { data: o, isLoading, error } = useQuery({
    queryKey: ["production", "order", orderId],
    queryFn: () => api.get<ProductionOrder>(`/api/production/orders/${orderId}`),
    enabled: Number.isInteger(orderId) && orderId > 0,
  });
  const planId = o?.sourcePlanVersionId ?? null;
  const canPlan = can("planning.plan.read");
  const { data: plan } = useQuery({
    queryKey: ["planning", "version", planId],
    queryFn: () => api.get<Version>(`/api/planning/versions/${planId}`),
    enabled: planId !== null && canPlan,
  });
  const back = () => navigate("/production/orders");
  if (isLoading) return <Skeleton active />;
  if (error || !o) {
    return (
      <>
        <PageHeader title={t("productionTitle")} onBack={back} />
        <Empty description={error instanceof ApiError && error.status !== 404 ? error.detail || error.message : t("notFound")} />
      </>
    );
  }
  const source =
    planId === null ? (
      <Tag data-testid="mo-source">{t("sourceManual")}</Tag>
    ) : (
      <Space size={4} wrap data-testid="mo-source">
        <Tag color="blue">{t("sourceMrp", { code: plan?.code ?? `#${planId}` })}</Tag>
        {o.sourcePlannedOrder && (
          <Typography.Text type="secondary">
            {t("orderKey")} {o.sourcePlannedOrder}
          </Typography.Text>
        )}
      </Space>
    );
  const ref = (id: number | null, code: string | null, path: string, perm: string, none: string) =>
    id === null ? (
      <Typography.Text type="warning">{none}</Typography.Text>
    ) : can(perm) ? (
      <Link to={`${path}/${id}`}>{code}</Link>
    ) : (
      code
    );
  return (
    <div data-testid="production-order-page">
      <PageHeader
        title={t("moTitle", { no: o.orderNo })}
        onBack={back}
        sub={
          <Tag color={o.state === "draft" ? "default" : "blue"} data-testid="mo-state">
            {t(`st_${o.state}` as PlanKey)}
          </Tag>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: "no", label: t("orderNo"), children: <Typography.Text strong>{o.orderNo}</Typography.Text> },
            {
              key: "item",
              label: t("item"),
              children: (
                <span data-testid="mo-item">
                  {can("masterdata.item.read") ? <Link to={`/masterdata/items/${o.itemId}`}>{o.itemCode}</Link> : o.itemCode} {pickName(lang, o.itemNameZh, o.itemNameEn)}
                </span>
              ),
            },
            { key: "qty", label: t("quantity"), children: <span data-testid="mo-quantity">{o.quantity}</span> },
            { key: "uom", label: t("unit"), children: o.uomCode },
            { key: "start", label: t("startDateLabel"), children: o.startDate ?? "—" },
            { key: "due", label: t("dueDateLabel"), children: o.dueDate },
            { key: "bom", label: t("bom"), children: ref(o.bomId, o.bomVersion, "/masterdata/boms", "masterdata.bom.read", t("noBom")) },
            { key: "routing", label: t("routing"), children: ref(o.routingId, o.routingVersion, "/masterdata/routings", "masterdata.routing.read", t("noRouting")) },
            { key: "source", label: t("source"), children: source },
            { key: "created", label: t("createdBy"), children: `${o.createdByName ?? t("systemActor")} · ${formatDateTime(o.createdAt)}` },
            { key: "updated", label: t("updatedAt"), children: formatDateTime(o.updatedAt) },
            ...(o.note ? [{ key: "note", label: t("note"), children: <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{o.note}</Typography.Paragraph> }] : []),
          ]}
        />
      </Card>
      <Card size="small" title={t("pegDemand")} style={{ marginBottom: 12 }}>
        <PegTable pegging={o.pegging} testId="mo-pegging" />
      </Card>
      {can("audit.log.read") && (
        <Card size="small" title={t("history")}>
          <AuditHistory entity="production_order" entityId={o.id} />
        </Card>
      )}
    </div>
  );
}
