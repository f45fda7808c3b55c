import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Empty, Select, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { api, type Page } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { pickName, useLang, useT } from "../../i18n/core";
import { type PlanKey, planText } from "./i18n";

export interface PegShare {
  ref: string;
  qty: string;
  label?: string | null;
}

/** MRP pegs the part of an order that is no demand's to "SAFETY_STOCK:…" and the like; name those. */
function pegLabel(p: PegShare, t: (k: PlanKey) => string): string | null {
  if (p.label) return p.label;
  const kind = p.ref.split(":")[0].toLowerCase();
  return ["safety_stock", "lot_size_excess", "allocated"].includes(kind) ? t(`peg_${kind}` as PlanKey) : null;
}

/** The demand a production order or requisition line serves (MRP pegging), one row per demand. */
export function PegTable({ pegging, testId }: { pegging: PegShare[]; testId?: string }) {
  const t = useT(planText);
  if (pegging.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noPegging")} />;
  return (
    <Table<PegShare>
      rowKey="ref"
      size="small"
      pagination={false}
      dataSource={pegging}
      data-testid={testId}
      onRow={(r) => ({ "data-testid": `peg-${r.ref}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t("pegRef"), dataIndex: "ref" },
        { title: t("pegDemand"), key: "label", render: (_, r) => pegLabel(r, t) ?? "—" },
        { title: t("pegQty"), dataIndex: "qty", align: "right" },
      ]}
    />
  );
}

/** Compact pegging tags for table cells. */
export function PegTags({ pegging }: { pegging: PegShare[] }) {
  const t = useT(planText);
  if (pegging.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <>
      {pegging.map((p) => (
        <Tag key={p.ref} style={{ marginBottom: 2 }}>
          {pegLabel(p, t) ?? p.ref} · {p.qty}
        </Tag>
      ))}
    </>
  );
}

export interface MakeItem {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  baseUomCode: string;
}

/** Active made items only (a production order for a bought item is refused by the server). */
export function MakeItemSelect({ value, onChange, testId }: { value?: number | null; onChange?: (v: number | null, item?: MakeItem) => void; testId?: string }) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const query = useDebounced(q.trim());
  const { data, isFetching } = useQuery({
    queryKey: ["md", "items", "pick-make", query],
    queryFn: () => api.get<Page<MakeItem>>("/api/masterdata/items", { q: query || undefined, pageSize: 30, sort: "code", status: "active", makeOrBuy: "make" }),
    placeholderData: keepPreviousData,
  });
  const items = data?.items ?? [];
  return (
    <Select
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null, items.find((i) => i.id === v))}
      options={items.map((i) => ({ value: i.id, label: `${i.code} · ${pickName(lang, i.nameZh, i.nameEn)}` }))}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={isFetching}
      allowClear
      data-testid={testId}
      style={{ width: "100%" }}
    />
  );
}

interface AuditRow {
  id: number;
  occurredAt: string;
  actorName: string | null;
  action: string;
  outcome: "success" | "denied" | "failed";
  errorCode: string | null;
}

/** The audit records of one document (only for people who may read the audit log). */
export function AuditHistory({ entity, entityId }: { entity: string; entityId: number }) {
  const t = useT(planText);
  const { can } = useAuth();
  const allowed = can("audit.log.read");
  const { data, isLoading } = useQuery({
    queryKey: ["audit", "log", entity, entityId],
    queryFn: () => api.get<Page<AuditRow>>("/api/audit/log", { entity, entityId: String(entityId), pageSize: 50 }),
    enabled: allowed,
  });
  if (!allowed) return null;
  return (
    <Table<AuditRow>
      rowKey="id"
      size="small"
      loading={isLoading}
      pagination={false}
      dataSource={data?.items}
      data-testid="history-table"
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("historyEmpty")} /> }}
      columns={[
        { title: t("when"), dataIndex: "occurredAt", render: (v: string) => formatDateTime(v), width: 180 },
        { title: t("who"), dataIndex: "actorName", render: (v: string | null) => v ?? "—" },
        { title: t("action"), dataIndex: "action", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        {
          title: t("outcome"),
          dataIndex: "outcome",
          render: (v: AuditRow["outcome"], r) => (
            <Tag color={v === "success" ? "green" : v === "denied" ? "orange" : "red"}>
              {t(`outcome_${v}` as PlanKey)}
              {r.errorCode ? ` · ${r.errorCode}` : ""}
            </Tag>
          ),
        },
      ]}
    />
  );
}
