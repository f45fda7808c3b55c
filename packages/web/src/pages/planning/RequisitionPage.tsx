import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Descriptions, Empty, Skeleton, Space, Table, Tag, Typography } from "antd";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime, groupDigits } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { pickName, useLang, useT } from "../../i18n/core";
import type { Version } from "./api";
import { type PlanKey, planText } from "./i18n";
import { AuditHistory, type PegShare, PegTags } from "./orderParts";

interface Line {
  id: number;
  lineNo: number;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  uomCode: string;
  quantity: string;
  supplierItemId: number | null;
  supplierItemCode: string | null;
  unitPrice: string | null;
  amount: string | null;
  leadTimeDays: number | null;
  releaseDate: string | null;
  needDate: string;
  sourcePlannedOrder: string | null;
  pegging: PegShare[];
}

interface Requisition {
  id: number;
  requisitionNo: string;
  supplierId: number | null;
  supplierCode: string | null;
  supplierNameZh: string | null;
  supplierNameEn: string | null;
  currency: string;
  state: string;
  sourcePlanVersionId: number | null;
  lineCount: number;
  total: string | null;
  firstNeedDate: string | null;
  note: string | null;
  createdByName: string | null;
  createdAt: string;
  lines: Line[];
}

/** One purchase requisition: the proposed supplier, its lines with lead time and need date, the demand each serves. */
export default function RequisitionPage() {
  const { id } = useParams();
  const t = useT(planText);
  const { lang } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const reqId = Number(id);
  const { data: r, isLoading, error } = useQuery({
    queryKey: ["purchasing", "requisition", reqId],
    queryFn: () => api.get<Requisition>(`/api/purchasing/requisitions/${reqId}`),
    enabled: Number.isInteger(reqId) && reqId > 0,
  });
  const planId = r?.sourcePlanVersionId ?? null;
  const { data: plan } = useQuery({
    queryKey: ["planning", "version", planId],
    queryFn: () => api.get<Version>(`/api/planning/versions/${planId}`),
    enabled: planId !== null && can("planning.plan.read"),
  });
  const back = () => navigate("/purchasing/requisitions");
  if (isLoading) return <Skeleton active />;
  if (error || !r) {
    return (
      <>
        <PageHeader title={t("requisitionsTitle")} onBack={back} />
        <Empty description={error instanceof ApiError && error.status !== 404 ? error.detail || error.message : t("notFound")} />
      </>
    );
  }
  // The server leaves prices null when the reader may not see them; the columns go away with them.
  const prices = r.total !== null || r.lines.some((l) => l.unitPrice !== null);
  const supplier = r.supplierCode ? (
    <span data-testid="pr-supplier">
      {can("masterdata.partner.read") ? <Link to={`/masterdata/partners/${r.supplierId}`}>{r.supplierCode}</Link> : r.supplierCode}{" "}
      {pickName(lang, r.supplierNameZh, r.supplierNameEn)}
    </span>
  ) : (
    <Typography.Text type="secondary" data-testid="pr-supplier">
      {t("noSupplier")}
    </Typography.Text>
  );
  return (
    <div data-testid="requisition-page">
      <PageHeader title={t("prTitle", { no: r.requisitionNo })} onBack={back} sub={<Tag data-testid="pr-state">{t(`st_${r.state}` as PlanKey)}</Tag>} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: "no", label: t("requisitionNo"), children: <Typography.Text strong>{r.requisitionNo}</Typography.Text> },
            { key: "supplier", label: t("supplier"), children: supplier },
            { key: "currency", label: t("currency"), children: r.currency },
            ...(prices ? [{ key: "total", label: t("total"), children: <span data-testid="pr-total">{`${r.total ? groupDigits(r.total) : "—"} ${r.currency}`}</span> }] : []),
            { key: "lines", label: t("lines"), children: r.lineCount },
            { key: "need", label: t("firstNeed"), children: r.firstNeedDate ?? "—" },
            {
              key: "source",
              label: t("source"),
              children: planId === null ? t("sourceManual") : <Tag color="blue">{t("sourceMrp", { code: plan?.code ?? `#${planId}` })}</Tag>,
            },
            { key: "created", label: t("createdBy"), children: `${r.createdByName ?? t("systemActor")} · ${formatDateTime(r.createdAt)}` },
            ...(r.note ? [{ key: "note", label: t("note"), children: r.note }] : []),
          ]}
        />
      </Card>
      {!prices && <Alert type="info" showIcon title={t("pricesHidden")} style={{ marginBottom: 12 }} data-testid="pr-prices-hidden" />}
      <Card size="small" title={t("linesTitle")} style={{ marginBottom: 12 }}>
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={r.lines}
          scroll={{ x: "max-content" }}
          data-testid="pr-lines"
          onRow={(l) => ({ "data-testid": `pr-line-${l.lineNo}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: "#", dataIndex: "lineNo", width: 48 },
            {
              title: t("item"),
              key: "item",
              render: (_, l) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text>{l.itemCode}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {pickName(lang, l.itemNameZh, l.itemNameEn)}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t("supplierItemCode"), dataIndex: "supplierItemCode", render: (v: string | null) => v ?? "—" },
            { title: t("quantity"), dataIndex: "quantity", align: "right", render: (v: string) => groupDigits(v) },
            { title: t("unit"), dataIndex: "uomCode" },
            ...(prices
              ? [
                  { title: `${t("unitPrice")} (${r.currency})`, dataIndex: "unitPrice", align: "right" as const, render: (v: string | null) => (v ? groupDigits(v) : "—") },
                  { title: `${t("amount")} (${r.currency})`, dataIndex: "amount", align: "right" as const, render: (v: string | null) => (v ? groupDigits(v) : "—") },
                ]
              : []),
            { title: t("leadTimeDays"), dataIndex: "leadTimeDays", align: "right", render: (v: number | null) => v ?? "—" },
            { title: t("releaseDate"), dataIndex: "releaseDate", render: (v: string | null) => v ?? "—" },
            { title: t("needDate"), dataIndex: "needDate" },
            { title: t("orderKey"), dataIndex: "sourcePlannedOrder", render: (v: string | null) => v ?? "—" },
            {
              title: t("pegDemand"),
              key: "peg",
              render: (_, l) => (
                <div style={{ display: "flex", flexWrap: "wrap", gap: 4, minWidth: 180, maxWidth: 300 }}>
                  <PegTags pegging={l.pegging} />
                </div>
              ),
            },
          ]}
        />
      </Card>
      {can("audit.log.read") && (
        <Card size="small" title={t("history")}>
          <AuditHistory entity="purchase_requisition" entityId={r.id} />
        </Card>
      )}
    </div>
  );
}
