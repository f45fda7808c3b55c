import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Row, Switch } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { ActiveItem, FormModal, useRecordForm } from "../../../components/recordForm";
import { type ItemDetail, MD, type SupplierItem, decimalRule, useAllUoms } from "./api";
import { ItemSelect, P, PartnerSelect, UomSelect, useCatalogText } from "./parts";

interface Values {
  partnerId: number;
  itemId: number;
  supplierItemCode?: string;
  supplierItemName?: string;
  uomId?: number | null;
  price?: string;
  currency?: string;
  minQty?: string;
  leadTimeDays?: number | null;
  validFrom?: Dayjs | null;
  validTo?: Dayjs | null;
  preferred: boolean;
  active: boolean;
  notes?: string;
}

const day = (d: Dayjs | null | undefined) => (d ? d.format("YYYY-MM-DD") : null);
const orNull = (v: string | undefined | null) => (v === undefined || v === null || v.trim() === "" ? null : v.trim());

/** Create or edit a supplier's price for an item; `fixed` presets (and locks) the item or the supplier. */
export function SupplierItemFormModal({
  row,
  open,
  fixed,
  onClose,
}: {
  row: SupplierItem | null;
  open: boolean;
  fixed?: { itemId?: number; partnerId?: number };
  onClose: () => void;
}) {
  const { t, tc } = useCatalogText();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<Values>({ onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "supplier-items"] }).then(onClose) });
  const units = useAllUoms(open);
  const itemId = Form.useWatch("itemId", form);
  const item = useQuery({ queryKey: ["md", "items", "detail", itemId], queryFn: () => api.get<ItemDetail>(`${MD}/items/${itemId}`), enabled: open && Boolean(itemId) });
  const priceVisible = can(P.price);

  useEffect(() => {
    if (!open) return;
    renewKey();
    form.resetFields();
    if (row) {
      form.setFieldsValue({
        ...row,
        supplierItemCode: row.supplierItemCode ?? undefined,
        supplierItemName: row.supplierItemName ?? undefined,
        notes: row.notes ?? undefined,
        validFrom: row.validFrom ? dayjs(row.validFrom) : null,
        validTo: row.validTo ? dayjs(row.validTo) : null,
      });
    } else {
      form.setFieldsValue({ ...fixed, preferred: false, active: true, minQty: "0" });
    }
  }, [open, row, fixed, form, renewKey]);

  const itemUnits = item.data ? [item.data.baseUomId, ...item.data.alternativeUnits.map((a) => a.uomId)] : [];

  const submit = (v: Values) => {
    const body: Record<string, unknown> = {
      supplierItemCode: orNull(v.supplierItemCode),
      supplierItemName: orNull(v.supplierItemName),
      minQty: orNull(v.minQty) ?? "0",
      validFrom: day(v.validFrom),
      validTo: day(v.validTo),
      preferred: v.preferred,
      notes: orNull(v.notes),
    };
    if (v.uomId) body.uomId = v.uomId;
    if (orNull(v.currency)) body.currency = v.currency!.trim().toUpperCase();
    if (v.leadTimeDays !== null && v.leadTimeDays !== undefined) body.leadTimeDays = v.leadTimeDays;
    if (priceVisible && orNull(v.price)) body.price = v.price!.trim();
    return save(async () => {
      if (!row) {
        for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
        await api.post(`${MD}/supplier-items`, { ...body, partnerId: v.partnerId, itemId: v.itemId }, { idempotencyKey: idemKey() });
        renewKey();
        message.success(tc("created"));
      } else {
        body.active = v.active;
        const changes: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(body)) {
          const before = (row as unknown as Record<string, unknown>)[k] ?? null;
          if (JSON.stringify(before) !== JSON.stringify(val ?? null)) changes[k] = val;
        }
        if (Object.keys(changes).length > 0) {
          await api.patch(`${MD}/supplier-items/${row.id}`, changes, { version: row.version });
          message.success(tc("saved"));
        }
      }
      await qc.invalidateQueries({ queryKey: ["md", "supplier-items"] });
      onClose();
    });
  };

  return (
    <FormModal
      open={open}
      title={row ? `${t("siEdit")} · ${row.itemCode} / ${row.partnerCode}` : t("siCreate")}
      width={820}
      form={form}
      busy={busy}
      onClose={onClose}
      submitTestId="si-form-submit"
      submitDisabled={!row && !priceVisible}
    >
      {!row && !priceVisible && <Alert type="warning" showIcon title={t("siNeedPrice")} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="si-form">
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="itemId" label={t("item")} rules={[{ required: true, message: tc("required", { field: t("item") }) }]}>
              <ItemSelect
                disabled={Boolean(row) || Boolean(fixed?.itemId)}
                initial={row ? { id: row.itemId, code: row.itemCode, nameZh: row.itemNameZh, nameEn: row.itemNameEn } : null}
                testId="si-item"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="partnerId" label={t("supplier")} rules={[{ required: true, message: tc("required", { field: t("supplier") }) }]}>
              <PartnerSelect
                partnerRole="supplier"
                disabled={Boolean(row) || Boolean(fixed?.partnerId)}
                initial={row ? { id: row.partnerId, code: row.partnerCode, nameZh: row.partnerNameZh, nameEn: row.partnerNameEn } : null}
                onChange={(_, p) => {
                  if (p && !form.getFieldValue("currency")) form.setFieldValue("currency", p.currency);
                }}
                testId="si-partner"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="supplierItemCode" label={t("supplierItemCode")}>
              <Input maxLength={64} data-testid="si-code" />
            </Form.Item>
          </Col>
          <Col xs={12} md={16}>
            <Form.Item name="supplierItemName" label={t("supplierItemName")}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            {priceVisible ? (
              <Form.Item
                name="price"
                label={t("price")}
                rules={[...(row ? [] : [{ required: true, message: tc("required", { field: t("price") }) }]), { pattern: decimalRule(), message: t("decimalRule", { n: 6 }) }]}
              >
                <Input inputMode="decimal" data-testid="si-price" />
              </Form.Item>
            ) : (
              <Form.Item label={t("price")}>
                <Input disabled value={t("priceHidden")} />
              </Form.Item>
            )}
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="currency" label={t("currency")} rules={[{ pattern: /^[A-Za-z]{3}$/, message: "CNY / USD / EUR" }]} normalize={(v: string) => v?.toUpperCase()}>
              <Input maxLength={3} placeholder="CNY" data-testid="si-currency" />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item name="uomId" label={t("priceUnit")}>
              <UomSelect units={units.data ?? []} only={itemUnits} allowClear placeholder={t("sameAsBase")} testId="si-uom" />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item name="minQty" label={t("minQty")} rules={[{ pattern: decimalRule(), message: t("decimalRule", { n: 6 }) }]}>
              <Input inputMode="decimal" data-testid="si-minQty" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="leadTimeDays" label={t("leadTime")}>
              <InputNumber min={0} max={3650} precision={0} style={{ width: "100%" }} placeholder={item.data ? String(item.data.leadTimeDays) : undefined} data-testid="si-lead" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="validFrom" label={t("validFrom")}>
              <DatePicker style={{ width: "100%" }} data-testid="si-validFrom" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="validTo" label={t("validTo")}>
              <DatePicker style={{ width: "100%" }} data-testid="si-validTo" />
            </Form.Item>
          </Col>
          <Col xs={6} md={3}>
            <Form.Item name="preferred" label={t("preferred")} valuePropName="checked" tooltip={t("siPreferredHint")}>
              <Switch data-testid="si-preferred" />
            </Form.Item>
          </Col>
          {row && <ActiveItem testId="si-active" col={{ xs: 6, md: 3 }} />}
          <Col span={24}>
            <Form.Item name="notes" label={t("notes")} extra={t("priceHint")}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}
