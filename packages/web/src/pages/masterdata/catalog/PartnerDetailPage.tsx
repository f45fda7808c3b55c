import { DeleteOutlined, EditOutlined, LockOutlined, UnlockOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Input, Skeleton, Table, Tabs, Tag, Typography } from "antd";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { api, type Page } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { PageHeader } from "../../../components/PageHeader";
import { pickName } from "../../../i18n/core";
import { type Address, type Bank, type Contact, MD, type PartnerDetail, type SupplierItem } from "./api";
import { AttachmentsPanel, P, PartnerStatusTag, RecordFields, RecordNotFound, RoleTags, SupplierPricesTable, dec, useCatalogText, useConfirmDelete } from "./parts";
import { PartnerFormModal } from "./PartnerForm";
import { SupplierItemFormModal } from "./SupplierItemForm";

export default function PartnerDetailPage() {
  const { id } = useParams();
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const confirmDelete = useConfirmDelete();
  const [editing, setEditing] = useState(false);
  const [siEditing, setSiEditing] = useState<SupplierItem | "new" | null>(null);
  const { data: p, isLoading, error } = useQuery({ queryKey: ["md", "partners", "detail", Number(id)], queryFn: () => api.get<PartnerDetail>(`${MD}/partners/${id}`) });
  const prices = useQuery({
    queryKey: ["md", "supplier-items", "partner", Number(id)],
    queryFn: () => api.get<Page<SupplierItem>>(`${MD}/supplier-items`, { partnerId: id, pageSize: 500, sort: "item" }),
    enabled: Boolean(p?.isSupplier) && can(P.siRead),
    placeholderData: keepPreviousData,
  });
  if (isLoading) return <Skeleton active />;
  if (!p) return <RecordNotFound title={t("partnerNotFound")} error={error} backTo="/masterdata/partners" />;
  const canEdit = can(P.partnerEdit);
  const name = pickName(lang, p.nameZh, p.nameEn);

  const setStatus = (status: "active" | "blocked") => {
    let reason = "";
    modal.confirm({
      title: status === "blocked" ? t("blockTitle", { name }) : t("unblockTitle", { name }),
      content: (
        <>
          {status === "blocked" && <Typography.Paragraph>{t("blockText")}</Typography.Paragraph>}
          <Input.TextArea rows={2} maxLength={500} placeholder={t("statusReason")} onChange={(e) => (reason = e.target.value)} data-testid="partner-status-reason" />
        </>
      ),
      okText: status === "blocked" ? t("block") : t("unblock"),
      okButtonProps: { danger: status === "blocked", "data-testid": "partner-status-confirm" },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.post(`${MD}/partners/${p.id}/status`, { status, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { version: p.version });
          message.success(t("statusChanged"));
          await qc.invalidateQueries({ queryKey: ["md", "partners"] });
        } catch (e) {
          showError(e, { onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "partners"] }) });
        }
      },
    });
  };
  const remove = () =>
    confirmDelete({
      name,
      path: `${MD}/partners/${p.id}`,
      confirmTestId: "partner-delete-confirm",
      onDeleted: async () => {
        await qc.invalidateQueries({ queryKey: ["md", "partners"] });
        navigate("/masterdata/partners");
      },
    });

  const priceVisible = can(P.price);
  return (
    <>
      <PageHeader
        title={`${p.code} ${name}`}
        onBack={() => navigate("/masterdata/partners")}
        sub={
          <>
            <RoleTags p={p} />
            <PartnerStatusTag status={p.status} />
          </>
        }
        extra={
          canEdit && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="partner-edit">
                {tc("edit")}
              </Button>
              {p.status === "active" ? (
                <Button icon={<LockOutlined />} onClick={() => setStatus("blocked")} data-testid="partner-block">
                  {t("block")}
                </Button>
              ) : (
                <Button icon={<UnlockOutlined />} onClick={() => setStatus("active")} data-testid="partner-unblock">
                  {t("unblock")}
                </Button>
              )}
              <Button danger icon={<DeleteOutlined />} onClick={remove}>
                {t("delete")}
              </Button>
            </>
          )
        }
      />
      {p.status === "blocked" && <Alert type="warning" showIcon title={t("blockText")} style={{ marginBottom: 12 }} />}
      <Card size="small">
        <Tabs
          items={[
            {
              key: "general",
              label: t("tabGeneral"),
              children: (
                <RecordFields
                  items={[
                    { key: "zh", label: tc("nameZh"), children: p.nameZh },
                    { key: "en", label: tc("nameEn"), children: p.nameEn },
                    { key: "short", label: t("shortName"), children: p.shortName ?? "—" },
                    { key: "tax", label: t("taxId"), children: p.taxId ?? "—" },
                    { key: "phone", label: t("phone"), children: p.phone ?? "—" },
                    { key: "email", label: t("email"), children: p.email ?? "—" },
                    { key: "web", label: t("website"), children: p.website ?? "—" },
                    { key: "cur", label: t("currency"), children: p.currency },
                    { key: "term", label: t("paymentTerm"), children: p.paymentTermCode ? `${p.paymentTermCode} · ${pickName(lang, p.paymentTermNameZh, p.paymentTermNameEn)}` : "—" },
                    { key: "credit", label: t("creditLimit"), children: p.creditLimit ? `${dec(p.creditLimit)} ${p.currency}` : "—" },
                    { key: "notes", label: t("notes"), span: 2, children: p.notes ?? "—" },
                    { key: "updated", label: t("updatedAt"), children: formatDateTime(p.updatedAt) },
                    { key: "version", label: t("version"), children: p.version },
                  ]}
                />
              ),
            },
            {
              key: "contacts",
              label: `${t("contacts")} (${p.contacts.length})`,
              children: (
                <Table<Contact>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.contacts}
                  data-testid="partner-contacts"
                  columns={[
                    { title: t("contactName"), dataIndex: "name", render: (v: string, c) => (c.isPrimary ? <>{v} <Tag color="blue">{t("primary")}</Tag></> : v) },
                    { title: t("contactTitle"), dataIndex: "title", render: (v) => v ?? "—" },
                    { title: t("mobile"), dataIndex: "mobile", render: (v) => v ?? "—" },
                    { title: t("phone"), dataIndex: "phone", render: (v) => v ?? "—" },
                    { title: t("email"), dataIndex: "email", render: (v) => v ?? "—" },
                  ]}
                />
              ),
            },
            {
              key: "addresses",
              label: `${t("addresses")} (${p.addresses.length})`,
              children: (
                <Table<Address>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.addresses}
                  data-testid="partner-addresses"
                  columns={[
                    { title: t("addressKind"), dataIndex: "kind", width: 160, render: (v: string, a) => <>{label("addr", v)} {a.isDefault && <Tag color="blue">{t("default")}</Tag>}</> },
                    { title: t("street"), key: "addr", render: (_, a) => [a.province, a.city, a.district, a.street].filter((x, i, arr) => x && arr.indexOf(x) === i).join(" ") },
                    { title: t("postcode"), dataIndex: "postcode", width: 90, render: (v) => v ?? "—" },
                    { title: t("contactName"), key: "c", width: 200, render: (_, a) => [a.contactName, a.contactPhone].filter(Boolean).join(" ") || "—" },
                  ]}
                />
              ),
            },
            {
              key: "banks",
              label: t("banks"),
              children: !p.bankVisible ? (
                <Alert type="info" showIcon title={t("bankHidden")} data-testid="bank-hidden" />
              ) : (
                <Table<Bank>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={p.banks ?? []}
                  data-testid="partner-banks"
                  columns={[
                    { title: t("bankName"), dataIndex: "bankName", render: (v: string, b) => <>{v} {b.isDefault && <Tag color="blue">{t("default")}</Tag>}</> },
                    { title: t("branch"), dataIndex: "branch", render: (v) => v ?? "—" },
                    { title: t("accountName"), dataIndex: "accountName" },
                    { title: t("accountNo"), dataIndex: "accountNo" },
                    { title: t("currency"), dataIndex: "currency", width: 70 },
                  ]}
                />
              ),
            },
            ...(p.isSupplier && can(P.siRead)
              ? [
                  {
                    key: "prices",
                    label: `${t("siTitle")} (${p.supplierItemCount})`,
                    children: (
                      <SupplierPricesTable
                        rows={prices.data?.items ?? []}
                        loading={prices.isFetching}
                        canCreate={can(P.siEdit) && priceVisible}
                        createTestId="partner-si-create"
                        onEdit={setSiEditing}
                        columns={[
                          { title: t("item"), key: "item", render: (_, r) => `${r.itemCode} · ${pickName(lang, r.itemNameZh, r.itemNameEn)}` },
                          { title: t("supplierItemCode"), dataIndex: "supplierItemCode", render: (v) => v ?? "—" },
                          { title: t("price"), key: "price", align: "right", render: (_, r) => (priceVisible ? `${dec(r.price)} ${r.currency} / ${r.uomCode}` : t("priceHidden")) },
                          { title: t("minQty"), dataIndex: "minQty", align: "right", render: (v, r) => `${dec(v)} ${r.uomCode}` },
                          { title: t("validity"), key: "v", render: (_, r) => `${r.validFrom ?? "…"} ~ ${r.validTo ?? t("open_ended")}` },
                          { title: t("preferred"), dataIndex: "preferred", render: (v: boolean) => (v ? <Tag color="gold">{t("preferred")}</Tag> : "") },
                        ]}
                      />
                    ),
                  },
                ]
              : []),
            { key: "attachments", label: `${t("tabAttachments")} (${p.attachmentCount})`, children: <AttachmentsPanel entity="partner" entityId={p.id} canEdit={canEdit} onChange={() => void qc.invalidateQueries({ queryKey: ["md", "partners", "detail", p.id] })} /> },
          ]}
        />
      </Card>
      <PartnerFormModal partner={p} open={editing} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <SupplierItemFormModal row={siEditing === "new" ? null : siEditing} open={siEditing !== null} fixed={{ partnerId: p.id }} onClose={() => setSiEditing(null)} />
    </>
  );
}
