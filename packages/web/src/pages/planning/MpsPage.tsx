import { ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Alert, Button, Input, InputNumber, Segmented, Space, Table, Typography } from "antd";
import { useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { useDebounced } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { pickName, useLang, useT } from "../../i18n/core";
import type { Mps, MpsItem } from "./api";
import { type PlanKey, planText } from "./i18n";

type Metric = "forecast" | "orders" | "consumed" | "demand";
const METRICS: Metric[] = ["forecast", "orders", "consumed", "demand"];
interface Row {
  key: string;
  item: MpsItem;
  metric: Metric;
}

/** The MPS grid: forecast (editable), customer orders, forecast consumed by orders and the demand MRP plans on. */
export default function MpsPage() {
  const t = useT(planText);
  const { lang } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const onError = useApiError();
  const qc = useQueryClient();
  const editable = can("planning.forecast.edit");
  const [bucket, setBucket] = useState<"week" | "day">("week");
  const [periods, setPeriods] = useState(12);
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const { data, isFetching, refetch } = useQuery({
    queryKey: ["planning", "mps", { bucket, periods, dq }],
    queryFn: () => api.get<Mps>("/api/planning/mps", { bucket, periods, q: dq || undefined }),
    placeholderData: keepPreviousData,
  });

  async function save(item: MpsItem, period: number, value: string) {
    const start = data!.buckets[period - 1].start;
    try {
      await api.put("/api/planning/forecasts", { entries: [{ itemId: item.id, periodStart: start, quantity: value || "0" }] });
      message.success(t("forecastSaved"));
      await qc.invalidateQueries({ queryKey: ["planning", "mps"] });
    } catch (e) {
      onError(e);
    }
  }

  const rows: Row[] = (data?.items ?? []).flatMap((item) => METRICS.map((metric) => ({ key: `${item.id}-${metric}`, item, metric })));
  const columns = [
    {
      title: t("item"),
      key: "item",
      fixed: "left" as const,
      width: 200,
      onCell: (r: Row) => ({ rowSpan: r.metric === "forecast" ? METRICS.length : 0 }),
      render: (_: unknown, r: Row) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{r.item.code}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {pickName(lang, r.item.nameZh, r.item.nameEn)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: "", key: "metric", fixed: "left" as const, width: 120, render: (_: unknown, r: Row) => t(r.metric as PlanKey) },
    ...(data?.buckets ?? []).map((b) => ({
      title: (
        <span title={`${b.start} – ${b.end}`} style={{ whiteSpace: "nowrap" }}>
          {b.label}
        </span>
      ),
      key: `p${b.period}`,
      width: 96,
      align: "right" as const,
      render: (_: unknown, r: Row) => {
        const value = r.item[r.metric][b.period - 1];
        if (r.metric === "forecast" && editable) {
          return (
            <InputNumber
              key={`${r.item.id}-${b.period}-${value}`}
              size="small"
              min="0"
              stringMode
              defaultValue={value === "0" ? undefined : value}
              style={{ width: 84 }}
              data-testid={`mps-forecast-${r.item.code}-${b.period}`}
              onBlur={(e) => {
                const v = e.target.value.trim().replaceAll(",", "");
                if ((v || "0") !== value) void save(r.item, b.period, v);
              }}
            />
          );
        }
        const zero = value === "0";
        return (
          <Typography.Text
            type={zero ? "secondary" : undefined}
            strong={r.metric === "demand" && !zero}
            data-testid={`mps-${r.metric}-${r.item.code}-${b.period}`}
            style={{ fontVariantNumeric: "tabular-nums" }}
          >
            {zero ? "–" : value}
          </Typography.Text>
        );
      },
    })),
  ];

  return (
    <div data-testid="mps-page">
      <PageHeader
        title={t("mpsTitle")}
        extra={
          <>
            <Input.Search allowClear placeholder={t("search")} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} data-testid="mps-search" />
            <Segmented
              value={bucket}
              onChange={(v) => setBucket(v as "week" | "day")}
              options={[
                { value: "week", label: t("bucketWeek") },
                { value: "day", label: t("bucketDay") },
              ]}
            />
            <InputNumber min={1} max={104} value={periods} onChange={(v) => setPeriods(Number(v) || 12)} suffix={t("periodsUnit")} style={{ width: 110 }} data-testid="mps-periods" />
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching} />
          </>
        }
      />
      <Alert type="info" showIcon title={t("mpsHint")} style={{ marginBottom: 12 }} />
      <Table<Row> rowKey="key" size="small" bordered pagination={false} dataSource={rows} columns={columns} scroll={{ x: "max-content" }} loading={isFetching && !data} />
    </div>
  );
}
