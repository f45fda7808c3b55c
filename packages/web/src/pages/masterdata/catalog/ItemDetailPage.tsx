import { DeleteOutlined, DownOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Descriptions, Dropdown, Form, Input, Modal, Skeleton, Space, Tabs, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { api, type Page } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { formatDateTime } from "../../../components/format";
import { PageHeader } from "../../../components/PageHeader";
import { pickName } from "../../../i18n/core";
import { type ItemDetail, MD, type SupplierItem, decimalRule, useAllUoms } from "./api";
import { ItemFormModal, LOT_PARAMS } from "./ItemForm";
import type { CatKey } from "./i18n";
import { AttachmentsPanel, Converter, ItemStatusTag, P, RecordFields, RecordNotFound, SupplierPricesTable, UomSelect, dec, uomLabel, useCatalogText, useConfirmDelete } from "./parts";
import { SupplierItemFormModal } from "./SupplierItemForm";

function StatusModal({ item, target, onClose }: { item: ItemDetail; target: "active" | "blocked" | "obsolete" | null; onClose: () => void }) {
  const { t, tc, label, lang } = useCatalogText();
  const showError = useApiError();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (target) setReason("");
  }, [target]);
  if (!target) return null;
  const save = async () => {
    setBusy(true);
    try {
      await api.post(`${MD}/items/${item.id}/status`, { status: target, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { version: item.version });
      message.success(t("statusChanged"));
      await qc.invalidateQueries({ queryKey: ["md", "items"] });
      onClose();
    } catch (e) {
      showError(e, { onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "items"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("statusTitle", { name: `${item.code} ${pickName(lang, item.nameZh, item.nameEn)}`, status: label("st", target) })}
      onCancel={onClose}
      onOk={save}
      okText={tc("ok")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ danger: target !== "active", "data-testid": "item-status-confirm" }}
    >
      <Typography.Paragraph>{t(`statusText_${target}` as CatKey)}</Typography.Paragraph>
      <Input.TextArea rows={2} maxLength={500} placeholder={t("statusReason")} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="item-status-reason" />
    </Modal>
  );
}

/** The item's alternative units (editable) and a converter between any of its units. */
function UnitsTab({ item, canEdit }: { item: ItemDetail; canEdit: boolean }) {
  const { t, tc, lang } = useCatalogText();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const units = useAllUoms();
  const all = units.data ?? [];
  const [form] = Form.useForm<{ units: { uomId?: number; factor?: string }[] }>();
  const [busy, setBusy] = useState(false);
  const watched = Form.useWatch("units", form);
  const base = all.find((u) => u.id === item.baseUomId);
  useEffect(() => {
    form.setFieldsValue({ units: item.alternativeUnits.map((a) => ({ uomId: a.uomId, factor: a.factor })) });
  }, [item, form]);

  const save = async (v: { units: { uomId?: number; factor?: string }[] }) => {
    setBusy(true);
    try {
      await api.put(
        `${MD}/items/${item.id}/units`,
        { units: (v.units ?? []).filter((u) => u?.uomId).map((u) => ({ uomId: u.uomId, ...(u.factor?.trim() ? { factor: u.factor.trim() } : {}) })) },
        { version: item.version },
      );
      message.success(t("unitsSaved"));
      await qc.invalidateQueries({ queryKey: ["md", "items"] });
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "items"] }) });
    } finally {
      setBusy(false);
    }
  };

  // Units the converter offers: the item's own, and every unit of their categories.
  const reachable = useMemo(() => {
    const cats = new Set<number>();
    if (base) cats.add(base.categoryId);
    for (const a of item.alternativeUnits) {
      const u = all.find((x) => x.id === a.uomId);
      if (u) cats.add(u.categoryId);
    }
    return all.filter((u) => cats.has(u.categoryId)).map((u) => u.id);
  }, [all, base, item]);

  // A reading aid only (nothing is stored or computed from it): 8 significant digits of 1 / factor.
  const inverse = (factor: string | undefined) => {
    if (!factor || !decimalRule(12).test(factor) || Number(factor) === 0) return null;
    return String(Number((1 / Number(factor)).toPrecision(8)));
  };

  return (
    <Space orientation="vertical" style={{ width: "100%" }} size={16}>
      <Card size="small" title={t("altUnits")} data-testid="item-units">
        <Typography.Paragraph type="secondary">{t("altUnitsHint")}</Typography.Paragraph>
        <Descriptions size="small" column={1} items={[{ key: "base", label: t("baseUom"), children: base ? uomLabel(base, lang) : item.baseUomCode }]} />
        <Form form={form} onFinish={save} disabled={!canEdit} style={{ marginTop: 12 }}>
          <Form.List name="units">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => {
                  const row = watched?.[f.name];
                  const alt = all.find((u) => u.id === row?.uomId);
                  const inv = inverse(row?.factor);
                  return (
                    <Space key={f.key} align="baseline" wrap style={{ display: "flex" }}>
                      <Typography.Text>1</Typography.Text>
                      <Form.Item name={[f.name, "uomId"]} rules={[{ required: true, message: tc("required", { field: t("altUnits") }) }]} style={{ width: 240 }}>
                        <UomSelect units={all.filter((u) => u.id !== item.baseUomId)} testId={`units-${f.name}-uom`} />
                      </Form.Item>
                      <Typography.Text>=</Typography.Text>
                      <Form.Item name={[f.name, "factor"]} rules={[{ pattern: decimalRule(12), message: t("decimalRule", { n: 12 }) }]} style={{ width: 170 }}>
                        <Input inputMode="decimal" placeholder={t("factor")} data-testid={`units-${f.name}-factor`} />
                      </Form.Item>
                      <Typography.Text>{item.baseUomCode}</Typography.Text>
                      {inv && alt && (
                        <Typography.Text type="secondary">{t("inverse", { base: item.baseUomCode, value: inv, alt: alt.code })}</Typography.Text>
                      )}
                      {canEdit && <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("removeRow")} />}
                    </Space>
                  );
                })}
                {canEdit && (
                  <Space>
                    <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="units-add">
                      {t("addAltUnit")}
                    </Button>
                    <Button type="primary" htmlType="submit" loading={busy} data-testid="units-save">
                      {t("saveUnits")}
                    </Button>
                  </Space>
                )}
              </>
            )}
          </Form.List>
        </Form>
      </Card>
      <Converter itemId={item.id} units={all.filter((u) => reachable.includes(u.id))} defaultFrom={item.purchaseUomId ?? item.alternativeUnits[0]?.uomId} defaultTo={item.baseUomId} />
    </Space>
  );
}

function SuppliersTab({ item }: { item: ItemDetail }) {
  const { t, tc, lang } = useCatalogText();
  const { can } = useAuth();
  const [editing, setEditing] = useState<SupplierItem | null | "new">(null);
  const { data, isFetching } = useQuery({
    queryKey: ["md", "supplier-items", "item", item.id],
    queryFn: () => api.get<Page<SupplierItem>>(`${MD}/supplier-items`, { itemId: item.id, pageSize: 200, sort: "partner" }),
    placeholderData: keepPreviousData,
  });
  const priceVisible = can(P.price);
  return (
    <>
      <SupplierPricesTable
        rows={data?.items ?? []}
        loading={isFetching}
        canCreate={can(P.siEdit) && priceVisible && item.status !== "obsolete"}
        createTestId="item-si-create"
        testId="item-suppliers"
        onEdit={setEditing}
        columns={[
          { title: t("supplier"), key: "partner", render: (_, r) => `${r.partnerCode} · ${pickName(lang, r.partnerNameZh, r.partnerNameEn)}` },
          { title: t("supplierItemCode"), dataIndex: "supplierItemCode", render: (v) => v ?? "—" },
          {
            title: t("price"),
            key: "price",
            align: "right",
            render: (_, r) => (priceVisible ? `${dec(r.price)} ${r.currency} / ${r.uomCode}` : <Typography.Text type="secondary">{t("priceHidden")}</Typography.Text>),
          },
          { title: t("minQty"), dataIndex: "minQty", align: "right", render: (v, r) => `${dec(v)} ${r.uomCode}` },
          { title: t("leadTime"), dataIndex: "leadTimeDays", align: "right" },
          { title: t("validity"), key: "validity", render: (_, r) => `${r.validFrom ?? "…"} ~ ${r.validTo ?? t("open_ended")}` },
          {
            title: tc("actions"),
            key: "flags",
            render: (_, r) => (
              <Space size={4}>
                {r.preferred && <Tag color="gold">{t("preferred")}</Tag>}
                {!r.active ? <Tag>{tc("inactive")}</Tag> : r.validNow ? <Tag color="green">{t("validNow")}</Tag> : <Tag>{t("notValid")}</Tag>}
              </Space>
            ),
          },
        ]}
      />
      <SupplierItemFormModal row={editing === "new" ? null : editing} open={editing !== null} fixed={{ itemId: item.id }} onClose={() => setEditing(null)} />
    </>
  );
}

export default function ItemDetailPage() {
  const { id } = useParams();
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const confirmDelete = useConfirmDelete();
  const [editing, setEditing] = useState(false);
  const [statusTarget, setStatusTarget] = useState<"active" | "blocked" | "obsolete" | null>(null);
  const { data: item, isLoading, error } = useQuery({
    queryKey: ["md", "items", "detail", Number(id)],
    queryFn: () => api.get<ItemDetail>(`${MD}/items/${id}`),
  });
  const canEdit = can(P.itemEdit);

  if (isLoading) return <Skeleton active />;
  if (!item) return <RecordNotFound title={t("itemNotFound")} error={error} backTo="/masterdata/items" />;
  const name = pickName(lang, item.nameZh, item.nameEn);
  const lotParams = LOT_PARAMS[item.lotSizeRule].map((p) => ({
    key: p,
    label: t(p),
    children: (p === "lotSizeSetupCost" || p === "lotSizeHoldingCost") && !item.costVisible ? <Typography.Text type="secondary">{t("hidden")}</Typography.Text> : `${dec(String(item[p] ?? ""))}${p === "lotSizePeriods" || p.endsWith("Cost") ? "" : ` ${item.baseUomCode}`}`,
  }));

  const remove = () =>
    confirmDelete({
      name: `${item.code} ${name}`,
      path: `${MD}/items/${item.id}`,
      confirmTestId: "item-delete-confirm",
      onDeleted: async () => {
        await qc.invalidateQueries({ queryKey: ["md", "items"] });
        navigate("/masterdata/items");
      },
    });

  const statusItems = (["active", "blocked", "obsolete"] as const)
    .filter((s) => s !== item.status)
    .map((s) => ({ key: s, label: <span data-testid={`item-status-${s}`}>{t(s === "active" ? "setActive" : s === "blocked" ? "setBlocked" : "setObsolete")}</span> }));

  return (
    <>
      <PageHeader
        title={`${item.code} ${name}`}
        onBack={() => navigate("/masterdata/items")}
        sub={<ItemStatusTag status={item.status} />}
        extra={
          canEdit && (
            <>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="item-edit">
                {tc("edit")}
              </Button>
              <Dropdown menu={{ items: statusItems, onClick: ({ key }) => setStatusTarget(key as "active" | "blocked" | "obsolete") }}>
                <Button data-testid="item-status-menu">
                  {t("statusChange")} <DownOutlined />
                </Button>
              </Dropdown>
              <Button danger icon={<DeleteOutlined />} onClick={remove} data-testid="item-delete">
                {t("delete")}
              </Button>
            </>
          )
        }
      />
      {item.status !== "active" && <Alert type="warning" showIcon title={t(`statusText_${item.status}` as CatKey)} style={{ marginBottom: 12 }} />}
      <Card size="small">
        <Tabs
          data-testid="item-tabs"
          items={[
            {
              key: "general",
              label: <span data-testid="tab-general">{t("tabGeneral")}</span>,
              children: (
                <RecordFields
                  items={[
                    { key: "code", label: t("itemCode"), children: item.code },
                    { key: "type", label: t("itemType"), children: label("type", item.itemType) },
                    { key: "zh", label: tc("nameZh"), children: item.nameZh },
                    { key: "en", label: tc("nameEn"), children: item.nameEn },
                    { key: "spec", label: t("spec"), children: item.spec ?? "—" },
                    { key: "barcode", label: t("barcode"), children: item.barcode ?? "—" },
                    { key: "base", label: t("baseUom"), children: item.baseUomCode },
                    { key: "purchase", label: t("purchaseUom"), children: item.purchaseUomCode ?? t("sameAsBase") },
                    { key: "sales", label: t("salesUom"), children: item.salesUomCode ?? t("sameAsBase") },
                    { key: "abc", label: t("abc"), children: item.abcClass ?? "—" },
                    { key: "status", label: t("status"), children: <ItemStatusTag status={item.status} /> },
                    { key: "counts", label: `${t("attachmentCount")} / ${t("supplierCount")}`, children: `${item.attachmentCount} / ${item.supplierItemCount}` },
                    { key: "desc", label: t("description"), span: 2, children: item.description ?? "—" },
                    { key: "updated", label: t("updatedAt"), children: formatDateTime(item.updatedAt) },
                    { key: "version", label: t("version"), children: item.version },
                  ]}
                />
              ),
            },
            {
              key: "planning",
              label: <span data-testid="tab-planning">{t("tabPlanning")}</span>,
              children: (
                <RecordFields
                  items={[
                    { key: "mob", label: t("makeOrBuy"), children: label("mob", item.makeOrBuy) },
                    { key: "lead", label: t("leadTime"), children: t("days", { n: item.leadTimeDays }) },
                    { key: "safety", label: t("safetyStock"), children: `${dec(item.safetyStock)} ${item.baseUomCode}` },
                    { key: "rule", label: t("lotSizeRule"), children: label("rule", item.lotSizeRule) },
                    ...lotParams,
                    { key: "tracking", label: t("tracking"), children: label("tracking", item.tracking) },
                    { key: "shelf", label: t("shelfLife"), children: item.shelfLifeDays ? t("days", { n: item.shelfLifeDays }) : "—" },
                    { key: "neg", label: t("allowNegative"), children: item.allowNegativeStock ? t("yes") : t("no") },
                  ]}
                />
              ),
            },
            {
              key: "costing",
              label: <span data-testid="tab-costing">{t("tabCosting")}</span>,
              children: (
                <>
                  {!item.costVisible && <Alert type="info" showIcon title={t("costHidden")} style={{ marginBottom: 12 }} data-testid="cost-hidden" />}
                  <RecordFields
                    items={[
                      { key: "val", label: t("valuation"), children: label("val", item.valuationMethod) },
                      {
                        key: "cost",
                        label: t("standardCost"),
                        children: item.costVisible ? <span data-testid="item-standard-cost">{`¥ ${dec(item.standardCost)} / ${item.baseUomCode}`}</span> : <Typography.Text type="secondary">{t("hidden")}</Typography.Text>,
                      },
                    ]}
                  />
                </>
              ),
            },
            { key: "units", label: <span data-testid="tab-units">{t("tabUnits")}</span>, children: <UnitsTab item={item} canEdit={canEdit} /> },
            ...(can(P.siRead) ? [{ key: "suppliers", label: <span data-testid="tab-suppliers">{t("tabSuppliers")}</span>, children: <SuppliersTab item={item} /> }] : []),
            {
              key: "attachments",
              label: <span data-testid="tab-attachments">{`${t("tabAttachments")} (${item.attachmentCount})`}</span>,
              children: <AttachmentsPanel entity="item" entityId={item.id} canEdit={canEdit} onChange={() => void qc.invalidateQueries({ queryKey: ["md", "items", "detail", item.id] })} />,
            },
          ]}
        />
      </Card>
      <ItemFormModal item={item} open={editing} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <StatusModal item={item} target={statusTarget} onClose={() => setStatusTarget(null)} />
    </>
  );
}
