import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Col, Form, type FormListFieldData, Input, Row, Select, Switch, Tabs } from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { CodeItem, FieldCol, FormModal, NameItems, useRecordForm } from "../../../components/recordForm";
import { pickName } from "../../../i18n/core";
import { type Address, type Bank, type Contact, MD, type PartnerDetail, type PartnerRow, usePaymentTerms } from "./api";
import { P, useCatalogText } from "./parts";

const upperCase = (v: string) => v?.toUpperCase();

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  shortName?: string;
  isCustomer: boolean;
  isSupplier: boolean;
  taxId?: string;
  phone?: string;
  email?: string;
  website?: string;
  currency?: string;
  paymentTermId?: number | null;
  creditLimit?: string;
  notes?: string;
  contacts: Contact[];
  addresses: Address[];
  banks: Bank[];
}

const blank = (v: unknown) => (typeof v === "string" ? (v.trim() === "" ? null : v.trim()) : (v ?? null));
/** Optional texts of a child row: empty ones are sent as null (the server keeps ids and flags). */
function clean<T extends object>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = k === "id" || typeof v === "boolean" ? v : blank(v);
  for (const k of Object.keys(out)) if (out[k] === null && (k === "id" || k === "country" || k === "currency")) delete out[k];
  return out as T;
}

/** The rows of a child list (contacts, addresses, banks): a card each with its fields and a remove button, then an add button. */
function ChildRows({
  name,
  addLabel,
  addTestId,
  newRow,
  children,
}: {
  name: string;
  addLabel: string;
  addTestId: string;
  /** The values of an added row, given how many rows there are. */
  newRow: (count: number) => Record<string, unknown>;
  children: (row: FormListFieldData) => ReactNode;
}) {
  const { t } = useCatalogText();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <Card key={f.key} size="small" style={{ marginBottom: 8 }} extra={<Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("removeRow")} />}>
              <Row gutter={8}>{children(f)}</Row>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add(newRow(fields.length))} data-testid={addTestId}>
            {addLabel}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** Create or edit a customer/supplier with contacts, addresses and (with the bank permission) bank accounts. */
export function PartnerFormModal({ partner, open, onClose, onSaved }: { partner: PartnerDetail | null; open: boolean; onClose: () => void; onSaved: (id: number) => void }) {
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [tab, setTab] = useState("general");
  const { form, busy, save, idemKey, renewKey } = useRecordForm<Values>({
    onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "partners"] }).then(onClose),
    // Show the tab of the first field in error.
    onFailed: (e) => {
      const first = (e as { errors?: { field: string }[] }).errors?.[0]?.field ?? "";
      const m = /^\/(contacts|addresses|banks)\//.exec(first);
      if (m) setTab(m[1]);
    },
  });
  const terms = usePaymentTerms(open);
  const bankVisible = can(P.bank) && (partner ? partner.bankVisible : true);

  useEffect(() => {
    if (!open) return;
    renewKey();
    setTab("general");
    form.resetFields();
    if (partner) {
      const v: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(partner)) v[k] = val ?? undefined;
      form.setFieldsValue({ ...(v as unknown as Values), banks: partner.banks ?? [] });
    } else {
      form.setFieldsValue({ isCustomer: true, isSupplier: false, currency: "CNY", contacts: [], addresses: [], banks: [] });
    }
  }, [open, partner, form, renewKey]);

  const submit = (v: Values) => {
    const body: Record<string, unknown> = {
      code: v.code,
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      shortName: blank(v.shortName),
      isCustomer: v.isCustomer,
      isSupplier: v.isSupplier,
      taxId: blank(v.taxId)?.toString().toUpperCase() ?? null,
      phone: blank(v.phone),
      email: blank(v.email),
      website: blank(v.website),
      currency: (blank(v.currency) as string | null)?.toUpperCase() ?? "CNY",
      paymentTermId: v.paymentTermId ?? null,
      creditLimit: blank(v.creditLimit),
      notes: blank(v.notes),
      contacts: (v.contacts ?? []).map(clean),
      addresses: (v.addresses ?? []).map(clean),
    };
    if (bankVisible) body.banks = (v.banks ?? []).map(clean);
    return save(async () => {
      if (!partner) {
        for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
        const created = await api.post<PartnerRow>(`${MD}/partners`, body, { idempotencyKey: idemKey() });
        renewKey();
        message.success(tc("created"));
        await qc.invalidateQueries({ queryKey: ["md", "partners"] });
        onSaved(created.id);
      } else {
        const { code: _code, ...changes } = body;
        if (v.code !== partner.code) (changes as Record<string, unknown>).code = v.code;
        await api.patch(`${MD}/partners/${partner.id}`, changes, { version: partner.version });
        message.success(tc("saved"));
        await qc.invalidateQueries({ queryKey: ["md", "partners"] });
        onSaved(partner.id);
      }
    });
  };

  return (
    <FormModal open={open} title={partner ? `${t("partnerEdit")} · ${partner.code}` : t("partnerCreate")} width={960} form={form} busy={busy} onClose={onClose} submitTestId="partner-form-submit">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="partner-form">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: "general",
              label: t("tabGeneral"),
              forceRender: true,
              children: (
                <Row gutter={12}>
                  <Col xs={24} md={6}>
                    <CodeItem label={t("partnerCode")} testId="partner-code" />
                  </Col>
                  <NameItems testId="partner" col={{ xs: 24, md: 9 }} />
                  <FieldCol xs={12} md={6} name="shortName" label={t("shortName")}><Input maxLength={50} /></FieldCol>
                  <Col xs={12} md={6}>
                    <Form.Item label={t("role")} required>
                      <Form.Item name="isCustomer" valuePropName="checked" noStyle>
                        <Checkbox data-testid="partner-isCustomer">{t("roleCustomer")}</Checkbox>
                      </Form.Item>
                      <Form.Item name="isSupplier" valuePropName="checked" noStyle>
                        <Checkbox data-testid="partner-isSupplier">{t("roleSupplier")}</Checkbox>
                      </Form.Item>
                    </Form.Item>
                  </Col>
                  <FieldCol xs={24} md={12} name="taxId" label={t("taxId")} normalize={upperCase} rules={[{ pattern: /^[0-9A-Z-]{6,30}$/, message: tc("codeRule") }]}><Input maxLength={30} data-testid="partner-taxId" /></FieldCol>
                  <FieldCol xs={12} md={6} name="phone" label={t("phone")}><Input maxLength={50} /></FieldCol>
                  <FieldCol xs={12} md={6} name="email" label={t("email")} rules={[{ type: "email", message: t("email") }]}><Input maxLength={200} /></FieldCol>
                  <FieldCol xs={24} md={12} name="website" label={t("website")}><Input maxLength={200} /></FieldCol>
                  <FieldCol xs={8} md={4} name="currency" label={t("currency")} normalize={upperCase} rules={[{ pattern: /^[A-Z]{3}$/, message: "CNY / USD / EUR" }]}><Input maxLength={3} /></FieldCol>
                  <FieldCol xs={16} md={10} name="paymentTermId" label={t("paymentTerm")}>
                    <Select
                      allowClear
                      options={(terms.data ?? []).filter((x) => x.active || x.id === partner?.paymentTermId).map((x) => ({ value: x.id, label: `${x.code} · ${pickName(lang, x.nameZh, x.nameEn)}` }))}
                      data-testid="partner-term"
                    />
                  </FieldCol>
                  <FieldCol xs={12} md={10} name="creditLimit" label={t("creditLimit")} rules={[{ pattern: /^\d{1,16}(\.\d{1,2})?$/, message: t("decimalRule", { n: 2 }) }]}><Input inputMode="decimal" /></FieldCol>
                  <FieldCol span={24} name="notes" label={t("notes")}><Input.TextArea rows={2} maxLength={2000} /></FieldCol>
                </Row>
              ),
            },
            {
              key: "contacts",
              label: t("contacts"),
              forceRender: true,
              children: (
                <ChildRows name="contacts" addLabel={t("addContact")} addTestId="contact-add" newRow={(count) => ({ isPrimary: count === 0 })}>
                  {(f) => (
                    <>
                      <FieldCol xs={12} md={5} name={[f.name, "name"]} label={t("contactName")} mandatory><Input maxLength={100} data-testid={`contact-${f.name}-name`} /></FieldCol>
                      <FieldCol xs={12} md={5} name={[f.name, "title"]} label={t("contactTitle")}><Input maxLength={100} /></FieldCol>
                      <FieldCol xs={12} md={4} name={[f.name, "mobile"]} label={t("mobile")}><Input maxLength={50} data-testid={`contact-${f.name}-mobile`} /></FieldCol>
                      <FieldCol xs={12} md={4} name={[f.name, "phone"]} label={t("phone")}><Input maxLength={50} /></FieldCol>
                      <FieldCol xs={18} md={4} name={[f.name, "email"]} label={t("email")}><Input maxLength={200} /></FieldCol>
                      <FieldCol xs={6} md={2} name={[f.name, "isPrimary"]} label={t("primary")} valuePropName="checked"><Switch size="small" /></FieldCol>
                    </>
                  )}
                </ChildRows>
              ),
            },
            {
              key: "addresses",
              label: t("addresses"),
              forceRender: true,
              children: (
                <ChildRows name="addresses" addLabel={t("addAddress")} addTestId="address-add" newRow={(count) => ({ kind: "billing", country: "CN", isDefault: count === 0 })}>
                  {(f) => (
                    <>
                      <FieldCol xs={12} md={5} name={[f.name, "kind"]} label={t("addressKind")} rules={[{ required: true }]}>
                        <Select options={["billing", "shipping", "office", "other"].map((k) => ({ value: k, label: label("addr", k) }))} />
                      </FieldCol>
                      <FieldCol xs={12} md={4} name={[f.name, "province"]} label={t("province")}><Input maxLength={100} /></FieldCol>
                      <FieldCol xs={12} md={4} name={[f.name, "city"]} label={t("city")}><Input maxLength={100} /></FieldCol>
                      <FieldCol xs={12} md={4} name={[f.name, "district"]} label={t("district")}><Input maxLength={100} /></FieldCol>
                      <FieldCol xs={12} md={4} name={[f.name, "postcode"]} label={t("postcode")}><Input maxLength={12} /></FieldCol>
                      <FieldCol xs={12} md={3} name={[f.name, "isDefault"]} label={t("default")} valuePropName="checked"><Switch size="small" /></FieldCol>
                      <FieldCol xs={24} md={12} name={[f.name, "street"]} label={t("street")} mandatory><Input maxLength={300} data-testid={`address-${f.name}-street`} /></FieldCol>
                      <FieldCol xs={12} md={6} name={[f.name, "contactName"]} label={t("contactName")}><Input maxLength={100} /></FieldCol>
                      <FieldCol xs={12} md={6} name={[f.name, "contactPhone"]} label={t("phone")}><Input maxLength={50} /></FieldCol>
                    </>
                  )}
                </ChildRows>
              ),
            },
            {
              key: "banks",
              label: t("banks"),
              forceRender: true,
              children: !bankVisible ? (
                <Alert type="info" showIcon title={t("bankHidden")} />
              ) : (
                <ChildRows name="banks" addLabel={t("addBank")} addTestId="bank-add" newRow={(count) => ({ isDefault: count === 0 })}>
                  {(f) => (
                    <>
                      <FieldCol xs={12} md={6} name={[f.name, "bankName"]} label={t("bankName")} mandatory><Input maxLength={200} /></FieldCol>
                      <FieldCol xs={12} md={6} name={[f.name, "branch"]} label={t("branch")}><Input maxLength={200} /></FieldCol>
                      <FieldCol xs={12} md={6} name={[f.name, "accountName"]} label={t("accountName")} mandatory><Input maxLength={200} /></FieldCol>
                      <FieldCol
                        xs={12}
                        md={6}
                        name={[f.name, "accountNo"]}
                        label={t("accountNo")}
                        normalize={upperCase}
                        rules={[{ required: true, message: tc("required", { field: t("accountNo") }) }, { pattern: /^[0-9A-Z][0-9A-Z -]{3,39}$/, message: tc("codeRule") }]}
                      >
                        <Input maxLength={40} />
                      </FieldCol>
                      <FieldCol xs={12} md={6} name={[f.name, "swift"]} label={t("swift")} normalize={upperCase}><Input maxLength={11} /></FieldCol>
                      <FieldCol xs={6} md={4} name={[f.name, "currency"]} label={t("currency")} normalize={upperCase}><Input maxLength={3} placeholder="CNY" /></FieldCol>
                      <FieldCol xs={6} md={4} name={[f.name, "isDefault"]} label={t("default")} valuePropName="checked"><Switch size="small" /></FieldCol>
                    </>
                  )}
                </ChildRows>
              ),
            },
          ]}
        />
      </Form>
    </FormModal>
  );
}
