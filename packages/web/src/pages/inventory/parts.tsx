import { useQuery } from "@tanstack/react-query";
import { Select, Space, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { useMemo, useState } from "react";
import { api } from "../../api/client";
import { groupDigits } from "../../components/format";
import { useDebounced } from "../../components/hooks";
import { type Lang, pickName, useLang, useT } from "../../i18n/core";
import { type DocState, type ItemOption, type LocationOption, type PartnerOption, useItemStock, useLocations } from "./api";
import { type InvKey, invText } from "./i18n";

/** Quantities as the server sends them (exact decimal strings), digits grouped, right-aligned by the table. */
export function Qty({ value, uom, danger, signed }: { value: string | null | undefined; uom?: string; danger?: boolean; signed?: boolean }) {
  if (value === null || value === undefined || value === "") return <>—</>;
  const neg = value.startsWith("-");
  const positive = signed && !neg && !/^0*(\.0*)?$/.test(value);
  const text = `${positive ? "+" : ""}${groupDigits(value)}`;
  return (
    <Typography.Text type={danger || neg ? "danger" : positive ? "success" : undefined} style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>
      {text}
      {uom ? <Typography.Text type="secondary"> {uom}</Typography.Text> : null}
    </Typography.Text>
  );
}

/**
 * A decimal string with at least `min` decimals and no trailing zeros beyond them: a unit cost stored with
 * six (54.500000) reads 54.50, one that needs them (12.345678) keeps them all. String work, never a float.
 */
export function trimDecimals(value: string, min = 2): string {
  const [i, f = ""] = value.split(".");
  let keep = f.length;
  while (keep > min && f[keep - 1] === "0") keep--;
  const decimals = f.slice(0, keep).padEnd(min, "0");
  return decimals ? `${i}.${decimals}` : i;
}

/** Money and unit costs: at least two decimals, more only where the value has them; grouped. */
export function Money({ value }: { value: string | null | undefined }) {
  return <Qty value={value === null || value === undefined || value === "" ? null : trimDecimals(value)} />;
}

const STATE_COLOR: Record<string, string> = {
  draft: "default",
  posted: "green",
  reversed: "orange",
  cancelled: "default",
  counting: "blue",
  review: "gold",
  open: "blue",
  closed: "default",
};

export function StateTag({ state, testId }: { state: DocState | string; testId?: string }) {
  const t = useT(invText);
  return (
    <Tag color={STATE_COLOR[state] ?? "default"} data-testid={testId} data-state={state}>
      {t(`st_${state}` as InvKey)}
    </Tag>
  );
}

const MOVE_COLOR: Record<string, string> = {
  receipt: "green",
  production_output: "cyan",
  issue: "volcano",
  production_consumption: "purple",
  transfer: "blue",
  adjustment: "gold",
  scrap: "red",
};

export function MoveTypeTag({ type }: { type: string }) {
  const t = useT(invText);
  return <Tag color={MOVE_COLOR[type] ?? "default"}>{t(`mt_${type}` as InvKey)}</Tag>;
}

export function itemLabel(lang: Lang, r: { itemCode: string; itemNameZh: string; itemNameEn: string }) {
  return `${r.itemCode} ${pickName(lang, r.itemNameZh, r.itemNameEn)}`;
}

export function ItemCell({ code, nameZh, nameEn }: { code: string; nameZh: string; nameEn: string }) {
  const { lang } = useLang();
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text strong style={{ whiteSpace: "nowrap" }}>
        {code}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {pickName(lang, nameZh, nameEn)}
      </Typography.Text>
    </Space>
  );
}

/** Expiry with a warning colour when past or within 30 days. */
export function Expiry({ date }: { date: string | null | undefined }) {
  const t = useT(invText);
  if (!date) return <>—</>;
  const days = dayjs(date).startOf("day").diff(dayjs().startOf("day"), "day");
  if (days < 0)
    return (
      <Tooltip title={t("expired")}>
        <Tag color="red">{date}</Tag>
      </Tooltip>
    );
  if (days <= 30)
    return (
      <Tooltip title={t("expiresSoon")}>
        <Tag color="orange">{date}</Tag>
      </Tooltip>
    );
  return <>{date}</>;
}

export function LocationText({ code, kind }: { code: string; kind?: string }) {
  const t = useT(invText);
  return (
    <span style={{ whiteSpace: "nowrap" }}>
      {code}
      {kind && !["internal"].includes(kind) ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {" "}
          ({t(`kind_${kind}` as InvKey)})
        </Typography.Text>
      ) : null}
    </span>
  );
}

/** Remote item search by code, name or barcode. `initial` shows the current value before any search. */
export function ItemSelect({
  value,
  onChange,
  initial,
  testId,
  onItem,
  style,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  initial?: { id: number; itemCode: string; itemNameZh: string; itemNameEn: string } | null;
  testId?: string;
  onItem?: (item: ItemOption | undefined) => void;
  style?: React.CSSProperties;
}) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const dq = useDebounced(q, 250);
  const { data, isFetching } = useQuery({
    queryKey: ["inventory", "lookup-items", dq],
    queryFn: () => api.get<ItemOption[]>("/api/inventory/lookup/items", { q: dq || undefined }),
    staleTime: 30_000,
  });
  const options = useMemo(() => {
    const list = (data ?? []).map((i) => ({ value: i.id, label: itemLabel(lang, i), item: i }));
    if (initial && value === initial.id && !list.some((o) => o.value === initial.id)) {
      list.unshift({ value: initial.id, label: itemLabel(lang, initial), item: undefined as unknown as ItemOption });
    }
    return list;
  }, [data, initial, value, lang]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v) => {
        onChange?.(v ?? null);
        onItem?.(options.find((o) => o.value === v)?.item);
      }}
      options={options}
      loading={isFetching}
      allowClear
      style={{ width: "100%", minWidth: 200, ...style }}
      data-testid={testId}
      popupMatchSelectWidth={360}
    />
  );
}

export function locationLabel(lang: Lang, l: LocationOption) {
  return `${l.code} ${pickName(lang, l.nameZh, l.nameEn)}`;
}

/** Locations of some kinds, grouped by warehouse. */
export function LocationSelect({
  value,
  onChange,
  kinds,
  warehouseId,
  placeholder,
  testId,
  allowClear = true,
  mode,
  style,
}: {
  value?: number | number[] | null;
  onChange?: (v: number | number[] | null) => void;
  kinds?: string[];
  warehouseId?: number | null;
  placeholder?: string;
  testId?: string;
  allowClear?: boolean;
  mode?: "multiple";
  style?: React.CSSProperties;
}) {
  const { lang } = useLang();
  const t = useT(invText);
  const { data, isLoading } = useLocations(kinds);
  const options = useMemo(() => {
    const groups = new Map<string, { label: string; options: { value: number; label: string }[] }>();
    for (const l of data ?? []) {
      if (warehouseId && l.warehouseId !== warehouseId) continue;
      const g = l.warehouseCode ? `${l.warehouseCode} ${pickName(lang, l.warehouseNameZh, l.warehouseNameEn)}` : t(`kind_${l.kind}` as InvKey);
      const entry = groups.get(g) ?? { label: g, options: [] };
      entry.options.push({ value: l.id, label: locationLabel(lang, l) });
      groups.set(g, entry);
    }
    return [...groups.values()];
  }, [data, warehouseId, lang, t]);
  return (
    <Select
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as number | number[] | undefined) ?? null)}
      options={options}
      loading={isLoading}
      allowClear={allowClear}
      mode={mode}
      showSearch={{ optionFilterProp: "label" }}
      placeholder={placeholder}
      style={{ width: "100%", minWidth: 180, ...style }}
      data-testid={testId}
      popupMatchSelectWidth={320}
    />
  );
}

export function PartnerSelect({
  value,
  onChange,
  role,
  initial,
  testId,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  role?: "supplier" | "customer";
  initial?: { id: number; code: string; nameZh: string; nameEn: string } | null;
  testId?: string;
}) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const dq = useDebounced(q, 250);
  const { data, isFetching } = useQuery({
    queryKey: ["inventory", "lookup-partners", role, dq],
    queryFn: () => api.get<PartnerOption[]>("/api/inventory/lookup/partners", { role, q: dq || undefined }),
    staleTime: 30_000,
  });
  const options = (data ?? []).map((p) => ({ value: p.id, label: `${p.code} ${pickName(lang, p.nameZh, p.nameEn)}` }));
  if (initial && value === initial.id && !options.some((o) => o.value === initial.id)) {
    options.unshift({ value: initial.id, label: `${initial.code} ${pickName(lang, initial.nameZh, initial.nameEn)}` });
  }
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={isFetching}
      allowClear
      style={{ width: "100%" }}
      data-testid={testId}
    />
  );
}

/** Lots of an item with stock (optionally at one location), earliest expiry first, with what is available. */
export function LotSelect({
  itemId,
  locationId,
  value,
  onChange,
  testId,
  initialLabel,
}: {
  itemId: number | null | undefined;
  locationId?: number | null;
  value?: number | null;
  onChange?: (v: number | null) => void;
  testId?: string;
  initialLabel?: string | null;
}) {
  const t = useT(invText);
  const { data, isLoading } = useItemStock(itemId);
  const options = useMemo(() => {
    const list = (data?.lines ?? [])
      .filter((l) => l.lotId !== null && (!locationId || l.locationId === locationId))
      .sort((a, b) => (a.expiryDate ?? "9999").localeCompare(b.expiryDate ?? "9999"))
      .map((l) => ({
        value: l.lotId as number,
        label: `${l.lotNo}${l.expiryDate ? ` · ${l.expiryDate}` : ""} · ${t("lotAvail", { qty: l.available })}${locationId ? "" : ` · ${l.locationCode}`}`,
      }));
    if (value && initialLabel && !list.some((o) => o.value === value)) list.unshift({ value, label: initialLabel });
    return list;
  }, [data, locationId, value, initialLabel, t]);
  return (
    <Select
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={options}
      loading={isLoading}
      allowClear
      placeholder={t("chooseLot")}
      disabled={!itemId}
      style={{ width: "100%", minWidth: 200 }}
      data-testid={testId}
      popupMatchSelectWidth={340}
      showSearch={{ optionFilterProp: "label" }}
    />
  );
}

/** Shows a value only with inventory.value.read; otherwise a muted dash with the reason on hover. */
export function Hidden() {
  const t = useT(invText);
  return (
    <Tooltip title={t("noValuePermission")}>
      <Typography.Text type="secondary">***</Typography.Text>
    </Tooltip>
  );
}
