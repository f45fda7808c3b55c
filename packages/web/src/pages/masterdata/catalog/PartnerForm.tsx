import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Checkbox, Col, Form, Input, Modal, Row, Select, Switch, Tabs } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { useIdempotencyKey } from "../../../components/hooks";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import { type Address, type Bank, type Contact, MD, type PartnerDetail, type PartnerRow, usePaymentTerms } from "./api";
import { catText } from "./i18n";
import { P, useEnum } from "./parts";

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

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

/** Create or edit a customer/supplier with contacts, addresses and (with the bank permission) bank accounts. */
export function PartnerFormModal({ partner, open, onClose, onSaved }: { partner: PartnerDetail | null; open: boolean; onClose: () => void; onSaved: (id: number) => void }) {
  const t = useT(catText);
  const tc = useT(common);
  const label = useEnum();
  const { lang } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState("general");
  const [idemKey, renewKey] = useIdempotencyKey();
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

  const submit = async (v: Values) => {
    setBusy(true);
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
    try {
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
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "partners"] }).then(onClose) });
      // Show the tab of the first field in error.
      const first = (e as { errors?: { field: string }[] }).errors?.[0]?.field ?? "";
      const m = /^\/(contacts|addresses|banks)\//.exec(first);
      if (m) setTab(m[1]);
    } finally {
      setBusy(false);
    }
  };

  const row = (children: React.ReactNode, key: React.Key, onRemove: () => void) => (
    <Card key={key} size="small" style={{ marginBottom: 8 }} extra={<Button type="text" icon={<DeleteOutlined />} onClick={onRemove} aria-label={t("removeRow")} />}>
      {children}
    </Card>
  );

  return (
    <Modal
      open={open}
      title={partner ? `${t("partnerEdit")} · ${partner.code}` : t("partnerCreate")}
      width={960}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "partner-form-submit" }}
      forceRender
    >
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
                    <Form.Item name="code" label={t("partnerCode")} normalize={(v: string) => v?.toUpperCase()} rules={[{ required: true, message: tc("required", { field: t("partnerCode") }) }, { pattern: CODE, message: tc("codeRule") }]}>
                      <Input maxLength={32} data-testid="partner-code" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={9}>
                    <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
                      <Input maxLength={200} data-testid="partner-nameZh" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={9}>
                    <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
                      <Input maxLength={200} data-testid="partner-nameEn" />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="shortName" label={t("shortName")}>
                      <Input maxLength={50} />
                    </Form.Item>
                  </Col>
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
                  <Col xs={24} md={12}>
                    <Form.Item name="taxId" label={t("taxId")} normalize={(v: string) => v?.toUpperCase()} rules={[{ pattern: /^[0-9A-Z-]{6,30}$/, message: tc("codeRule") }]}>
                      <Input maxLength={30} data-testid="partner-taxId" />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="phone" label={t("phone")}>
                      <Input maxLength={50} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="email" label={t("email")} rules={[{ type: "email", message: t("email") }]}>
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="website" label={t("website")}>
                      <Input maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} md={4}>
                    <Form.Item name="currency" label={t("currency")} normalize={(v: string) => v?.toUpperCase()} rules={[{ pattern: /^[A-Z]{3}$/, message: "CNY / USD / EUR" }]}>
                      <Input maxLength={3} />
                    </Form.Item>
                  </Col>
                  <Col xs={16} md={10}>
                    <Form.Item name="paymentTermId" label={t("paymentTerm")}>
                      <Select
                        allowClear
                        options={(terms.data ?? []).filter((x) => x.active || x.id === partner?.paymentTermId).map((x) => ({ value: x.id, label: `${x.code} · ${pickName(lang, x.nameZh, x.nameEn)}` }))}
                        data-testid="partner-term"
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={10}>
                    <Form.Item name="creditLimit" label={t("creditLimit")} rules={[{ pattern: /^\d{1,16}(\.\d{1,2})?$/, message: t("decimalRule", { n: 2 }) }]}>
                      <Input inputMode="decimal" />
                    </Form.Item>
                  </Col>
                  <Col span={24}>
                    <Form.Item name="notes" label={t("notes")}>
                      <Input.TextArea rows={2} maxLength={2000} />
                    </Form.Item>
                  </Col>
                </Row>
              ),
            },
            {
              key: "contacts",
              label: t("contacts"),
              forceRender: true,
              children: (
                <Form.List name="contacts">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f) =>
                        row(
                          <Row gutter={8}>
                            <Col xs={12} md={5}>
                              <Form.Item name={[f.name, "name"]} label={t("contactName")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("contactName") }) }]}>
                                <Input maxLength={100} data-testid={`contact-${f.name}-name`} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={5}>
                              <Form.Item name={[f.name, "title"]} label={t("contactTitle")}>
                                <Input maxLength={100} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={4}>
                              <Form.Item name={[f.name, "mobile"]} label={t("mobile")}>
                                <Input maxLength={50} data-testid={`contact-${f.name}-mobile`} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={4}>
                              <Form.Item name={[f.name, "phone"]} label={t("phone")}>
                                <Input maxLength={50} />
                              </Form.Item>
                            </Col>
                            <Col xs={18} md={4}>
                              <Form.Item name={[f.name, "email"]} label={t("email")}>
                                <Input maxLength={200} />
                              </Form.Item>
                            </Col>
                            <Col xs={6} md={2}>
                              <Form.Item name={[f.name, "isPrimary"]} label={t("primary")} valuePropName="checked">
                                <Switch size="small" />
                              </Form.Item>
                            </Col>
                          </Row>,
                          f.key,
                          () => remove(f.name),
                        ),
                      )}
                      <Button icon={<PlusOutlined />} onClick={() => add({ isPrimary: fields.length === 0 })} data-testid="contact-add">
                        {t("addContact")}
                      </Button>
                    </>
                  )}
                </Form.List>
              ),
            },
            {
              key: "addresses",
              label: t("addresses"),
              forceRender: true,
              children: (
                <Form.List name="addresses">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f) =>
                        row(
                          <Row gutter={8}>
                            <Col xs={12} md={5}>
                              <Form.Item name={[f.name, "kind"]} label={t("addressKind")} rules={[{ required: true }]}>
                                <Select options={["billing", "shipping", "office", "other"].map((k) => ({ value: k, label: label("addr", k) }))} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={4}>
                              <Form.Item name={[f.name, "province"]} label={t("province")}>
                                <Input maxLength={100} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={4}>
                              <Form.Item name={[f.name, "city"]} label={t("city")}>
                                <Input maxLength={100} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={4}>
                              <Form.Item name={[f.name, "district"]} label={t("district")}>
                                <Input maxLength={100} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={4}>
                              <Form.Item name={[f.name, "postcode"]} label={t("postcode")}>
                                <Input maxLength={12} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={3}>
                              <Form.Item name={[f.name, "isDefault"]} label={t("default")} valuePropName="checked">
                                <Switch size="small" />
                              </Form.Item>
                            </Col>
                            <Col xs={24} md={12}>
                              <Form.Item name={[f.name, "street"]} label={t("street")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("street") }) }]}>
                                <Input maxLength={300} data-testid={`address-${f.name}-street`} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={6}>
                              <Form.Item name={[f.name, "contactName"]} label={t("contactName")}>
                                <Input maxLength={100} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={6}>
                              <Form.Item name={[f.name, "contactPhone"]} label={t("phone")}>
                                <Input maxLength={50} />
                              </Form.Item>
                            </Col>
                          </Row>,
                          f.key,
                          () => remove(f.name),
                        ),
                      )}
                      <Button icon={<PlusOutlined />} onClick={() => add({ kind: "billing", country: "CN" })} data-testid="address-add">
                        {t("addAddress")}
                      </Button>
                    </>
                  )}
                </Form.List>
              ),
            },
            {
              key: "banks",
              label: t("banks"),
              forceRender: true,
              children: !bankVisible ? (
                <Alert type="info" showIcon title={t("bankHidden")} />
              ) : (
                <Form.List name="banks">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f) =>
                        row(
                          <Row gutter={8}>
                            <Col xs={12} md={6}>
                              <Form.Item name={[f.name, "bankName"]} label={t("bankName")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("bankName") }) }]}>
                                <Input maxLength={200} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={6}>
                              <Form.Item name={[f.name, "branch"]} label={t("branch")}>
                                <Input maxLength={200} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={6}>
                              <Form.Item name={[f.name, "accountName"]} label={t("accountName")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("accountName") }) }]}>
                                <Input maxLength={200} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={6}>
                              <Form.Item
                                name={[f.name, "accountNo"]}
                                label={t("accountNo")}
                                normalize={(v: string) => v?.toUpperCase()}
                                rules={[{ required: true, message: tc("required", { field: t("accountNo") }) }, { pattern: /^[0-9A-Z][0-9A-Z -]{3,39}$/, message: tc("codeRule") }]}
                              >
                                <Input maxLength={40} />
                              </Form.Item>
                            </Col>
                            <Col xs={12} md={6}>
                              <Form.Item name={[f.name, "swift"]} label={t("swift")} normalize={(v: string) => v?.toUpperCase()}>
                                <Input maxLength={11} />
                              </Form.Item>
                            </Col>
                            <Col xs={6} md={4}>
                              <Form.Item name={[f.name, "currency"]} label={t("currency")} normalize={(v: string) => v?.toUpperCase()}>
                                <Input maxLength={3} placeholder="CNY" />
                              </Form.Item>
                            </Col>
                            <Col xs={6} md={4}>
                              <Form.Item name={[f.name, "isDefault"]} label={t("default")} valuePropName="checked">
                                <Switch size="small" />
                              </Form.Item>
                            </Col>
                          </Row>,
                          f.key,
                          () => remove(f.name),
                        ),
                      )}
                      <Button icon={<PlusOutlined />} onClick={() => add({ isDefault: fields.length === 0 })} data-testid="bank-add">
                        {t("addBank")}
                      </Button>
                    </>
                  )}
                </Form.List>
              ),
            },
          ]}
        />
      </Form>
    </Modal>
  );
}
