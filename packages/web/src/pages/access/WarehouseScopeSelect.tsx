import { useQuery } from "@tanstack/react-query";
import { Select } from "antd";
import { api } from "../../api/client";
import { pickName, useLang } from "../../i18n/core";

interface ScopeWarehouse {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/**
 * Warehouse data-scope picker (IAM-5): the active warehouses a role grant or an API token can be limited to.
 * Empty = every warehouse. `source` is the lookup the form's own permission may read.
 */
export function WarehouseScopeSelect({
  value,
  onChange,
  placeholder,
  testId,
  source = "/api/access/scope-warehouses",
  enabled = true,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  testId?: string;
  source?: "/api/access/scope-warehouses" | "/api/access/token-warehouses";
  enabled?: boolean;
}) {
  const { lang } = useLang();
  const warehouses = useQuery({
    queryKey: ["access", source],
    queryFn: () => api.get<ScopeWarehouse[]>(source),
    enabled,
    staleTime: 60_000,
  });
  return (
    <Select
      value={value ?? undefined}
      onChange={(v: number | undefined) => onChange?.(v ?? null)}
      allowClear
      showSearch={{ optionFilterProp: "label" }}
      placeholder={placeholder}
      loading={warehouses.isLoading}
      options={(warehouses.data ?? []).map((w) => ({ value: w.id, label: `${w.code} ${pickName(lang, w.nameZh, w.nameEn)}` }))}
      data-testid={testId}
    />
  );
}
