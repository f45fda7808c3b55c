import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Input, Select } from "antd";
import { useState } from "react";
import { api, type Page } from "../../api/client";
import { useDebounced } from "../../components/hooks";
import { useT } from "../../i18n/core";
import { type PlanKey, planText } from "./i18n";

const PAGE_SIZE = 50;

/**
 * The list of a document type that MRP feeds (production orders, purchase requisitions): server-side
 * pages of 50, a text search and a state filter; a new search or state starts again at page 1.
 */
export function useDocumentList<Row>(queryKey: string[], url: string) {
  const [q, setQ] = useState("");
  const dq = useDebounced(q.trim(), 300);
  const [state, setState] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const { data, isFetching } = useQuery({
    queryKey: [...queryKey, dq, state, page],
    queryFn: () => api.get<Page<Row>>(url, { q: dq || undefined, state, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return {
    data,
    isFetching,
    search: {
      value: q,
      onChange: (v: string) => {
        setQ(v);
        setPage(1);
      },
    },
    state: {
      value: state,
      onChange: (v: string | undefined) => {
        setState(v);
        setPage(1);
      },
    },
    pagination: { current: page, pageSize: PAGE_SIZE, total: data?.total, onChange: setPage, showSizeChanger: false },
  };
}

/** The search box and the state filter of a `useDocumentList`, for the page header. */
export function DocumentListFilters({
  list,
  searchPlaceholder,
  states,
}: {
  list: Pick<ReturnType<typeof useDocumentList>, "search" | "state">;
  searchPlaceholder: PlanKey;
  states: string[];
}) {
  const t = useT(planText);
  return (
    <>
      <Input.Search allowClear placeholder={t(searchPlaceholder)} value={list.search.value} onChange={(e) => list.search.onChange(e.target.value)} style={{ width: 240 }} />
      <Select
        allowClear
        placeholder={t("state")}
        style={{ width: 140 }}
        value={list.state.value}
        onChange={list.state.onChange}
        options={states.map((s) => ({ value: s, label: t(`st_${s}` as PlanKey) }))}
      />
    </>
  );
}
