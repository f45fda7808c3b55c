import { useQuery } from "@tanstack/react-query";
import { Select, Space, Tag, Tooltip, Typography } from "antd";
import type { Rule } from "antd/es/form";
import { useMemo, useState } from "react";
import { api } from "../../../api/client";
import { useDebounced } from "../../../components/hooks";
import { type Lang, pickName, useLang, useT } from "../../../i18n/core";
import { type ItemOption, type ReleaseStatus, useAllSkills, useAllWorkCentres } from "./api";
import { type EngKey, engText } from "./i18n";

const STATUS_COLOR: Record<ReleaseStatus, string> = { draft: "blue", active: "green", obsolete: "default" };

export function StatusTag({ status }: { status: ReleaseStatus }) {
  const t = useT(engText);
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`status-${status}`}>
      {t(`status_${status}` as EngKey)}
    </Tag>
  );
}

/** "2026-01-01 → 2026-06-01" / "2026-01-01 → open-ended". */
export function EffectiveRange({ from, to }: { from: string | null; to: string | null }) {
  const t = useT(engText);
  if (!from && !to) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span style={{ whiteSpace: "nowrap" }}>
      {from ?? "…"} → {to ?? <Typography.Text type="secondary">{t("openEnded")}</Typography.Text>}
    </span>
  );
}

export function typeLabel(t: (k: EngKey) => string, type: string | undefined): string {
  return type ? t(`type_${type}` as EngKey) || type : "";
}

/** A quantity, or a grey "hidden" when the server withheld it (sensitive). */
export function Qty({ value, unit, testId }: { value: string | null | undefined; unit?: string; testId?: string }) {
  const t = useT(engText);
  if (value === null || value === undefined) {
    return (
      <Tooltip title={t("hiddenQtyHint")}>
        <Typography.Text type="secondary" data-testid={testId}>
          ***
        </Typography.Text>
      </Tooltip>
    );
  }
  return (
    <span style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }} data-testid={testId}>
      {trimZeros(value)}
      {unit ? <Typography.Text type="secondary"> {unit}</Typography.Text> : null}
    </span>
  );
}

/** "12.500000" → "12.5" (display only; the string stays exact). */
export function trimZeros(value: string): string {
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

/** A decimal string rounded half-up to `dp` places with thousands separators, never through a float. */
export function money(value: string | null | undefined, dp = 2): string {
  if (value === null || value === undefined) return "—";
  const neg = value.startsWith("-");
  const [int, frac = ""] = (neg ? value.slice(1) : value).split(".");
  const scaled = BigInt(`${int}${frac.padEnd(dp, "0").slice(0, dp)}`) + (Number(frac[dp] ?? "0") >= 5 ? 1n : 0n);
  const digits = scaled.toString().padStart(dp + 1, "0");
  const whole = digits.slice(0, digits.length - dp).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = neg && scaled !== 0n ? "-" : "";
  return dp > 0 ? `${sign}${whole}.${digits.slice(digits.length - dp)}` : `${sign}${whole}`;
}

/** Form rule: a non-negative decimal that fits NUMERIC(p, s) (what the server accepts). */
export function decimalRule(integerDigits: number, scale: number, message: string): Rule {
  const re = new RegExp(`^\\d{1,${integerDigits}}(\\.\\d{1,${scale}})?$`);
  return { validator: (_r, v) => (v === undefined || v === null || v === "" || re.test(String(v)) ? Promise.resolve() : Promise.reject(new Error(message))) };
}

export function itemLabel(lang: Lang, i: { code: string; nameZh: string; nameEn: string }): string {
  return `${i.code} · ${pickName(lang, i.nameZh, i.nameEn)}`;
}

/**
 * Item picker: searches the server by code or name as the user types; the current value's label is
 * fetched by id, so a picker opened on a saved line shows its item without a search.
 */
export function ItemSelect({
  value,
  onChange,
  onItem,
  testId,
  disabled,
  excludeId,
  placeholder,
  style,
}: {
  value?: number | null;
  onChange?: (id: number | null) => void;
  onItem?: (item: ItemOption | undefined) => void;
  testId?: string;
  disabled?: boolean;
  excludeId?: number;
  placeholder?: string;
  style?: React.CSSProperties;
}) {
  const t = useT(engText);
  const { lang } = useLang();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const found = useQuery({
    queryKey: ["masterdata", "item-options", q],
    queryFn: () => api.get<ItemOption[]>("/api/masterdata/engineering/item-options", { q, limit: 30 }),
    enabled: !disabled,
    staleTime: 30_000,
  });
  const current = useQuery({
    queryKey: ["masterdata", "item-options", "id", value],
    queryFn: () => api.get<ItemOption[]>("/api/masterdata/engineering/item-options", { ids: String(value) }),
    enabled: Boolean(value),
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const map = new Map<number, ItemOption>();
    for (const i of current.data ?? []) map.set(i.id, i);
    for (const i of found.data ?? []) if (i.id !== excludeId) map.set(i.id, i);
    return [...map.values()];
  }, [found.data, current.data, excludeId]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? undefined}
      placeholder={placeholder ?? t("itemPick")}
      disabled={disabled}
      allowClear
      style={style ?? { width: "100%" }}
      loading={found.isFetching}
      data-testid={testId}
      popupMatchSelectWidth={420}
      onChange={(v) => {
        onChange?.(v ?? null);
        onItem?.(options.find((o) => o.id === v));
      }}
      options={options.map((i) => ({
        value: i.id,
        label: itemLabel(lang, i),
        disabled: i.status !== "active",
        title: i.status !== "active" ? t("componentBlocked") : undefined,
        "data-testid": `item-option-${i.code}`,
      }))}
      optionRender={(o) => {
        const i = options.find((x) => x.id === o.value);
        if (!i) return o.label;
        return (
          <Space size={6} style={{ width: "100%", justifyContent: "space-between" }}>
            <span>
              <b>{i.code}</b> {pickName(lang, i.nameZh, i.nameEn)}
            </span>
            <span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {typeLabel(t, i.itemType)} · {i.uom}
              </Typography.Text>
              {i.hasBom && (
                <Tag color="purple" style={{ marginInlineStart: 6 }}>
                  BOM
                </Tag>
              )}
            </span>
          </Space>
        );
      }}
    />
  );
}

/** Active work centres (plus the current value even if it is inactive now). */
export function WorkCentreSelect({
  value,
  onChange,
  testId,
  disabled,
  mode,
  exclude,
  placeholder,
}: {
  value?: number | number[] | null;
  onChange?: (v: number | number[] | null) => void;
  testId?: string;
  disabled?: boolean;
  mode?: "multiple";
  exclude?: number | null;
  placeholder?: string;
}) {
  const { lang } = useLang();
  const { data, isLoading } = useAllWorkCentres();
  const chosen = new Set(Array.isArray(value) ? value : value ? [value] : []);
  const options = (data ?? [])
    .filter((w) => (w.active || chosen.has(w.id)) && w.id !== exclude)
    .map((w) => ({ value: w.id, label: `${w.code} · ${pickName(lang, w.nameZh, w.nameEn)}`, disabled: !w.active }));
  return (
    <Select
      mode={mode}
      showSearch={{ optionFilterProp: "label" }}
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as number | number[] | undefined) ?? null)}
      options={options}
      loading={isLoading}
      disabled={disabled}
      allowClear={mode === "multiple"}
      placeholder={placeholder}
      style={{ width: "100%" }}
      data-testid={testId}
      popupMatchSelectWidth={320}
    />
  );
}

export function SkillSelect({ value, onChange, testId, disabled }: { value?: number | null; onChange?: (v: number | null) => void; testId?: string; disabled?: boolean }) {
  const { lang } = useLang();
  const { data, isLoading } = useAllSkills();
  const options = (data ?? [])
    .filter((s) => s.active || s.id === value)
    .map((s) => ({ value: s.id, label: `${s.code} · ${pickName(lang, s.nameZh, s.nameEn)}` }));
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: "label" }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={isLoading}
      disabled={disabled}
      style={{ width: "100%" }}
      data-testid={testId}
      popupMatchSelectWidth={260}
    />
  );
}
