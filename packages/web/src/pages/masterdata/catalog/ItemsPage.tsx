import { ReloadOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Button, Card, Input, Select, Table, Tooltip, Typography } from "antd";
import type { SorterResult, SortOrder } from "antd/es/table/interface";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { pickName } from "../../../i18n/core";
import { type ItemRow, MD } from "./api";
import { ITEM_TYPES, ItemFormModal } from "./ItemForm";
import { CreateButton, ExportButtons, ItemStatusTag, P, dec, useCatalogText } from "./parts";

export default function ItemsPage() {
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [itemType, setItemType] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [abcClass, setAbc] = useState<string>();
  const [makeOrBuy, setMob] = useState<string>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string>("code");
  const [creating, setCreating] = useState(false);
  const query = useDebounced(q.trim());
  const filters = { q: query, itemType, status, abcClass, makeOrBuy, sort };
  const costVisible = can(P.itemCost);

  const { data, isFetching, refetch } = useQuery({
    queryKey: ["md", "items", "list", { ...filters, page, pageSize }],
    queryFn: () => api.get<Page<ItemRow>>(`${MD}/items`, { ...filters, page, pageSize }),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (field: string): SortOrder => (sort === field ? "ascend" : sort === `-${field}` ? "descend" : null);
  const nameField = lang === "zh-CN" ? "nameZh" : "nameEn";
  const filter = (setter: (v: string | undefined) => void) => (v: string | undefined) => {
    setter(v);
    setPage(1);
  };

  return (
    <>
      <PageHeader
        title={t("itemsTitle")}
        extra={
          <>
            <ExportButtons path={`${MD}/items/export`} query={filters} testId="items" />
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} aria-label={tc("refresh")} />
            {can(P.itemEdit) && <CreateButton label={t("itemCreate")} onClick={() => setCreating(true)} testId="item-create" />}
          </>
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Input.Search
            allowClear
            placeholder={t("itemSearch")}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
            style={{ width: 300 }}
            data-testid="items-search"
          />
          <Select
            allowClear
            placeholder={t("itemType")}
            value={itemType}
            onChange={filter(setItemType)}
            options={ITEM_TYPES.map((v) => ({ value: v, label: label("type", v) }))}
            style={{ width: 190 }}
            data-testid="items-filter-type"
          />
          <Select
            allowClear
            placeholder={t("status")}
            value={status}
            onChange={filter(setStatus)}
            options={["active", "blocked", "obsolete"].map((v) => ({ value: v, label: label("st", v) }))}
            style={{ width: 120 }}
            data-testid="items-filter-status"
          />
          <Select
            allowClear
            placeholder={t("abc")}
            value={abcClass}
            onChange={filter(setAbc)}
            options={["A", "B", "C"].map((v) => ({ value: v, label: v }))}
            style={{ width: 110 }}
            data-testid="items-filter-abc"
          />
          <Select
            allowClear
            placeholder={t("makeOrBuy")}
            value={makeOrBuy}
            onChange={filter(setMob)}
            options={["make", "buy"].map((v) => ({ value: v, label: label("mob", v) }))}
            style={{ width: 120 }}
            data-testid="items-filter-mob"
          />
        </div>
        <Table<ItemRow>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.items ?? []}
          data-testid="items-table"
          scroll={{ x: 1640 }}
          onRow={(r) => ({ onClick: () => navigate(`/masterdata/items/${r.id}`), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<ItemRow>;
            setSort(sortParam(sorter.field as string | undefined, sorter.order) ?? "code");
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
          }}
          columns={[
            {
              title: t("itemCode"),
              dataIndex: "code",
              key: "code",
              width: 150,
              fixed: "left",
              sorter: true,
              sortOrder: sortOrder("code"),
              render: (v: string, r) => (
                <Link to={`/masterdata/items/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`item-row-${v}`}>
                  {v}
                </Link>
              ),
            },
            {
              title: tc("name"),
              dataIndex: nameField,
              key: nameField,
              sorter: true,
              sortOrder: sortOrder(nameField),
              width: 230,
              ellipsis: true,
              render: (_, r) => pickName(lang, r.nameZh, r.nameEn),
            },
            { title: t("spec"), dataIndex: "spec", width: 200, ellipsis: true, render: (v: string | null) => v ?? "—" },
            { title: t("itemType"), dataIndex: "itemType", key: "itemType", width: 130, sorter: true, sortOrder: sortOrder("itemType"), render: (v: string) => label("type", v) },
            { title: t("baseUom"), dataIndex: "baseUomCode", width: 80 },
            { title: t("makeOrBuy"), dataIndex: "makeOrBuy", width: 80, render: (v: string) => label("mob", v) },
            { title: t("leadTime"), dataIndex: "leadTimeDays", key: "leadTimeDays", width: 100, align: "right", sorter: true, sortOrder: sortOrder("leadTimeDays") },
            { title: t("safetyStock"), dataIndex: "safetyStock", width: 100, align: "right", render: dec },
            { title: t("abc"), dataIndex: "abcClass", key: "abcClass", width: 80, align: "center", sorter: true, sortOrder: sortOrder("abcClass"), render: (v) => v ?? "—" },
            ...(costVisible
              ? [
                  {
                    title: t("standardCost"),
                    dataIndex: "standardCost",
                    key: "standardCost",
                    width: 110,
                    align: "right" as const,
                    sorter: true,
                    sortOrder: sortOrder("standardCost"),
                    render: (v: string) => <span data-testid="item-cost-cell">{dec(v)}</span>,
                  },
                ]
              : [
                  {
                    title: (
                      <Tooltip title={t("hiddenHint")}>
                        <Typography.Text type="secondary">{t("standardCost")}</Typography.Text>
                      </Tooltip>
                    ),
                    key: "standardCostHidden",
                    width: 110,
                    align: "right" as const,
                    render: () => <Typography.Text type="secondary">{t("hidden")}</Typography.Text>,
                  },
                ]),
            { title: t("status"), dataIndex: "status", key: "status", width: 90, sorter: true, sortOrder: sortOrder("status"), render: (v: string) => <ItemStatusTag status={v} /> },
            { title: t("updatedAt"), dataIndex: "updatedAt", key: "updatedAt", width: 160, sorter: true, sortOrder: sortOrder("updatedAt"), render: (v: string) => formatDateTime(v) },
          ]}
        />
      </Card>
      <ItemFormModal item={null} open={creating} onClose={() => setCreating(false)} onSaved={(id) => navigate(`/masterdata/items/${id}`)} />
    </>
  );
}
