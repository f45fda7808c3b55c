import { useQuery } from "@tanstack/react-query";
import { Select, Tag } from "antd";
import { useState } from "react";
import { api, type Page } from "../../api/client";
import type { UserRow } from "../../api/types";
import { useDebounced } from "../../components/hooks";
import { pickName, useLang } from "../../i18n/core";

/** A person, searched on the server by username or name (the list is scoped like the users page). */
export function UserPicker({
  value,
  onChange,
  placeholder,
  testId,
  disabled,
}: {
  value?: number;
  onChange?: (id: number | undefined) => void;
  placeholder?: string;
  testId?: string;
  disabled?: boolean;
}) {
  const { lang } = useLang();
  const [q, setQ] = useState("");
  const query = useDebounced(q.trim());
  const { data, isFetching } = useQuery({
    queryKey: ["identity", "users", "picker", query],
    queryFn: () => api.get<Page<UserRow>>("/api/identity/users", { q: query, pageSize: 20, sort: "username" }),
    staleTime: 30_000,
  });
  return (
    <Select<number>
      value={value}
      onChange={(v) => onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      disabled={disabled}
      loading={isFetching}
      placeholder={placeholder}
      data-testid={testId}
      options={(data?.items ?? []).map((u) => ({
        value: u.id,
        label: (
          <span data-testid={`user-option-${u.username}`}>
            {u.displayName} <span style={{ opacity: 0.6 }}>({u.username})</span>
            {u.departmentId !== null && (
              <Tag style={{ marginInlineStart: 6 }}>{pickName(lang, u.departmentNameZh, u.departmentNameEn)}</Tag>
            )}
          </span>
        ),
      }))}
    />
  );
}
