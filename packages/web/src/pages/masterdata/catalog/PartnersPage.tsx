import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Card, Input, Segmented, Select, Table } from "antd";
import type { SorterResult, SortOrder } from "antd/es/table/interface";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Page, sortParam } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { useDebounced } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { pickName } from "../../../i18n/core";
import { MD, type PartnerRow } from "./api";
import { CreateButton, ExportButtons, P, PartnerStatusTag, RoleTags, useCatalogText } from "./parts";
import { PartnerFormModal } from "./PartnerForm";

export default function PartnersPage() {
  const { t, tc, lang } = useCatalogText();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [role, setRole] = useState<"all" | "customer" | "supplier">("all");
  const [status, setStatus] = useState<string>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState("code");
  const [creating, setCreating] = useState(false);
  const query = useDebounced(q.trim());
  const filters = { q: query, role: role === "all" ? undefined : role, status, sort };
  const { data, isFetching } = useQuery({
    queryKey: ["md", "partners", "list", { ...filters, page, pageSize }],
    queryFn: () => api.get<Page<PartnerRow>>(`${MD}/partners`, { ...filters, page, pageSize }),
    placeholderData: keepPreviousData,
  });
  const sortOrder = (f: string): SortOrder => (sort === f ? "ascend" : sort === `-${f}` ? "descend" : null);
  const nameField = lang === "zh-CN" ? "nameZh" : "nameEn";

  return (
    <>
      <PageHeader
        title={t("partnersTitle")}
        extra={
          <>
            <ExportButtons path={`${MD}/partners/export`} query={filters} testId="partners" />
            {can(P.partnerEdit) && <CreateButton label={t("partnerCreate")} onClick={() => setCreating(true)} testId="partner-create" />}
          </>
        }
      />
      <Card size="small">
        <div className="kw-toolbar">
          <Segmented
            value={role}
            onChange={(v) => {
              setRole(v as typeof role);
              setPage(1);
            }}
            options={[
              { value: "all", label: t("filterAll") },
              { value: "customer", label: t("roleCustomer") },
              { value: "supplier", label: t("roleSupplier") },
            ]}
            data-testid="partners-role"
          />
          <Input.Search allowClear placeholder={t("partnerSearch")} value={q} onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }} style={{ width: 300 }} data-testid="partners-search" />
          <Select
            allowClear
            placeholder={t("status")}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={[
              { value: "active", label: t("st_active") },
              { value: "blocked", label: t("st_blocked") },
            ]}
            style={{ width: 120 }}
          />
        </div>
        <Table<PartnerRow>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.items ?? []}
          data-testid="partners-table"
          scroll={{ x: 1100 }}
          onRow={(r) => ({ onClick: () => navigate(`/masterdata/partners/${r.id}`), style: { cursor: "pointer" } })}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = s as SorterResult<PartnerRow>;
            setSort(sortParam(sorter.field as string | undefined, sorter.order) ?? "code");
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
          }}
          columns={[
            {
              title: t("partnerCode"),
              dataIndex: "code",
              key: "code",
              width: 130,
              sorter: true,
              sortOrder: sortOrder("code"),
              render: (v: string, r) => (
                <Link to={`/masterdata/partners/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid={`partner-row-${v}`}>
                  {v}
                </Link>
              ),
            },
            { title: tc("name"), dataIndex: nameField, key: nameField, sorter: true, sortOrder: sortOrder(nameField), ellipsis: true, render: (_, r) => pickName(lang, r.nameZh, r.nameEn) },
            { title: t("role"), key: "role", width: 140, render: (_, r) => <RoleTags p={r} /> },
            { title: t("primaryContact"), key: "contact", width: 180, render: (_, r) => (r.contactName ? `${r.contactName}${r.contactPhone ? ` ${r.contactPhone}` : ""}` : "—") },
            { title: t("city"), key: "city", width: 120, render: (_, r) => [r.province, r.city].filter((x, i, a) => x && a.indexOf(x) === i).join(" ") || "—" },
            { title: t("paymentTerm"), key: "term", width: 160, render: (_, r) => (r.paymentTermCode ? pickName(lang, r.paymentTermNameZh, r.paymentTermNameEn) : "—") },
            { title: t("currency"), dataIndex: "currency", width: 70 },
            { title: t("status"), dataIndex: "status", key: "status", width: 90, sorter: true, sortOrder: sortOrder("status"), render: (v: string) => <PartnerStatusTag status={v} /> },
          ]}
        />
      </Card>
      <PartnerFormModal partner={null} open={creating} onClose={() => setCreating(false)} onSaved={(id) => navigate(`/masterdata/partners/${id}`)} />
    </>
  );
}
