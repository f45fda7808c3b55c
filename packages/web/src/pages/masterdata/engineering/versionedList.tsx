import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, Input, Select, Table, type TableColumnsType, Typography } from "antd";
import type { SorterResult } from "antd/es/table/interface";
import { type ReactNode, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { formatDateTime } from "../../../components/format";
import { useDebounced } from "../../../components/hooks";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import type { ReleaseStatus } from "./api";
import { engText } from "./i18n";
import { EffectiveRange, StatusTag } from "./parts";
import { type DocumentKind, listPath } from "./versioned";

// The list pages of BOMs and routings (`/masterdata/{kind}s`): one row per version, searched, filtered by
// status (and the kind's own filters), paged and sorted by the server. What differs stays in each page:
// its header's buttons, its own filters, and its quantity and count columns.

/** What the list shows of every version; each kind's row adds its quantity and how many rows it has. */
export interface VersionSummary {
  id: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  versionCode: string;
  status: ReleaseStatus;
  effectiveFrom: string;
  effectiveTo: string | null;
  description: string | null;
  updatedAt: string;
}

/**
 * The list's state and its page of rows: search text (`query` once typing pauses), status, paging and
 * sort, and `filters` of the kind's own (sent with them, e.g. a routing's work centre).
 */
export function useVersionedList<R extends VersionSummary>(kind: DocumentKind, filters: Record<string, string | number | undefined> = {}) {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<ReleaseStatus | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>();
  const query = useDebounced(q.trim());
  const params = { page, pageSize, sort, q: query, status, ...filters };
  const { data, isFetching } = useQuery({
    queryKey: ["masterdata", `${kind}s`, "list", params],
    queryFn: () => api.get<Page<R>>(listPath(kind), params),
    placeholderData: keepPreviousData,
  });
  return { kind, q, setQ, query, status, setStatus, page, setPage, pageSize, setPageSize, sort, setSort, data, isFetching };
}

/**
 * The list's card: search and status above the table (then `filters`, the kind's own), the table with
 * item, version, status and dates, the kind's `columns`, description and last change. A row opens its
 * version.
 */
export function VersionedListCard<R extends VersionSummary>(props: {
  list: ReturnType<typeof useVersionedList<R>>;
  searchHint: string;
  statusTestId?: string;
  filters?: ReactNode;
  columns: TableColumnsType<R>;
}) {
  const { list, searchHint, statusTestId, filters, columns } = props;
  const { kind, sort } = list;
  const t = useT(engText);
  const tc = useT(common);
  const { lang } = useLang();
  const navigate = useNavigate();
  const sortOrder = (field: string) => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);
  return (
    <Card size="small">
      <div className="kw-toolbar">
        <Input.Search
          allowClear
          placeholder={searchHint}
          value={list.q}
          onChange={(e) => {
            list.setQ(e.target.value);
            list.setPage(1);
          }}
          style={{ width: 320 }}
          data-testid={`${kind}-search`}
        />
        <Select
          allowClear
          placeholder={t("all")}
          value={list.status}
          onChange={(v) => {
            list.setStatus(v);
            list.setPage(1);
          }}
          style={{ width: 150 }}
          data-testid={statusTestId}
          options={(["draft", "active", "obsolete"] as const).map((s) => ({ value: s, label: t(`status_${s}`) }))}
        />
        {filters}
      </div>
      <Table<R>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        data-testid={`${kind}-table`}
        onRow={(r) => ({ onClick: () => navigate(`/masterdata/${kind}s/${r.id}`), style: { cursor: "pointer" } })}
        pagination={{ current: list.page, pageSize: list.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
        onChange={(p, _f, s) => {
          const sorter = s as SorterResult<R>;
          list.setSort(sortParam(sorter.field as string | undefined, sorter.order));
          list.setPage(p.current ?? 1);
          list.setPageSize(p.pageSize ?? 20);
        }}
        scroll={{ x: 980 }}
        columns={[
          {
            title: t("item"),
            dataIndex: "itemCode",
            sorter: true,
            sortOrder: sortOrder("itemCode"),
            render: (_, r) => (
              <Link to={`/masterdata/${kind}s/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`${kind}-row-${r.itemCode}-${r.versionCode}`}>
                <b>{r.itemCode}</b> {pickName(lang, r.itemNameZh, r.itemNameEn)}
              </Link>
            ),
          },
          { title: t("versionCode"), dataIndex: "versionCode", width: 100, sorter: true, sortOrder: sortOrder("versionCode") },
          { title: t("status"), dataIndex: "status", width: 100, sorter: true, sortOrder: sortOrder("status"), render: (v: ReleaseStatus) => <StatusTag status={v} /> },
          {
            title: `${t("effectiveFrom")} → ${t("effectiveTo")}`,
            dataIndex: "effectiveFrom",
            width: 230,
            sorter: true,
            sortOrder: sortOrder("effectiveFrom"),
            render: (_, r) => <EffectiveRange from={r.effectiveFrom} to={r.effectiveTo} />,
          },
          ...columns,
          { title: t("description"), dataIndex: "description", ellipsis: true, render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text> },
          { title: t("updatedAt"), dataIndex: "updatedAt", width: 170, sorter: true, sortOrder: sortOrder("updatedAt"), render: (v: string) => formatDateTime(v) },
        ]}
      />
    </Card>
  );
}
