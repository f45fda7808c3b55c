import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Col, Divider, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from "antd";
import { useEffect, useMemo } from "react";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { CodeItem, FormModal, NameItems, useRecordForm } from "../../../components/recordForm";
import { type ItemDetail, type ItemRow, type LotSizeRule, MD, decimalRule, useAllUoms } from "./api";
import type { CatKey } from "./i18n";
import { P, UomSelect, uomLabel, useCatalogText } from "./parts";

const ITEM_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
export const ITEM_TYPES = ["raw", "semi", "finished", "consumable", "service"] as const;
export const LOT_RULES: LotSizeRule[] = ["lot-for-lot", "fixed", "multiple", "min-max-multiple", "periods-of-supply", "eoq"];
type LotParam = "lotSizeQty" | "lotSizeMin" | "lotSizeMax" | "lotSizeMultiple" | "lotSizePeriods" | "lotSizeSetupCost" | "lotSizeHoldingCost";
/** The parameters of each rule (the server refuses the others). */
export const LOT_PARAMS: Record<LotSizeRule, LotParam[]> = {
  "lot-for-lot": [],
  fixed: ["lotSizeQty"],
  multiple: ["lotSizeMultiple"],
  "min-max-multiple": ["lotSizeMin", "lotSizeMax", "lotSizeMultiple"],
  "periods-of-supply": ["lotSizePeriods"],
  eoq: ["lotSizeSetupCost", "lotSizeHoldingCost"],
};
const ALL_PARAMS: LotParam[] = ["lotSizeQty", "lotSizeMin", "lotSizeMax", "lotSizeMultiple", "lotSizePeriods", "lotSizeSetupCost", "lotSizeHoldingCost"];
const DECIMAL_FIELDS = ["safetyStock", "lotSizeQty", "lotSizeMin", "lotSizeMax", "lotSizeMultiple", "lotSizeSetupCost", "lotSizeHoldingCost", "standardCost"] as const;

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  spec?: string;
  description?: string;
  itemType: string;
  makeOrBuy: string;
  baseUomId: number;
  purchaseUomId?: number | null;
  salesUomId?: number | null;
  barcode?: string;
  abcClass?: string | null;
  leadTimeDays?: number | null;
  safetyStock?: string;
  lotSizeRule: LotSizeRule;
  lotSizeQty?: string;
  lotSizeMin?: string;
  lotSizeMax?: string;
  lotSizeMultiple?: string;
  lotSizePeriods?: number | null;
  lotSizeSetupCost?: string;
  lotSizeHoldingCost?: string;
  tracking: string;
  shelfLifeDays?: number | null;
  valuationMethod: string;
  standardCost?: string;
  allowNegativeStock: boolean;
  alternativeUnits?: { uomId: number; factor?: string }[];
}

const empty = (v: unknown) => v === undefined || v === null || v === "";
const orNull = (v: unknown) => (empty(v) ? null : typeof v === "string" ? v.trim() : v);

/** Create or edit an item: general data, planning (lot-size rule with its own parameters), costing. */
export function ItemFormModal({ item, open, onClose, onSaved }: { item: ItemDetail | null; open: boolean; onClose: () => void; onSaved: (id: number) => void }) {
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<Values>({ onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "items"] }).then(onClose) });
  const units = useAllUoms(open);
  const costVisible = can(P.itemCost);
  const rule = (Form.useWatch("lotSizeRule", form) ?? "lot-for-lot") as LotSizeRule;
  const tracking = Form.useWatch("tracking", form);
  const baseUomId = Form.useWatch("baseUomId", form);
  const alts = Form.useWatch("alternativeUnits", form) as Values["alternativeUnits"];
  const editing = item !== null;

  useEffect(() => {
    if (!open) return;
    renewKey();
    form.resetFields();
    if (item) {
      const v: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(item)) v[k] = val ?? undefined;
      form.setFieldsValue(v as unknown as Values);
    } else {
      form.setFieldsValue({ itemType: "raw", makeOrBuy: "buy", lotSizeRule: "lot-for-lot", tracking: "none", valuationMethod: "moving_average", allowNegativeStock: false, leadTimeDays: 0, safetyStock: "0" });
    }
  }, [open, item, form, renewKey]);

  const all = units.data ?? [];
  // Purchase and sales units are the base unit or one of the item's alternatives.
  const itemUnitIds = useMemo(() => {
    const ids = new Set<number>();
    if (baseUomId) ids.add(baseUomId);
    for (const a of item?.alternativeUnits ?? []) ids.add(a.uomId);
    for (const a of alts ?? []) if (a?.uomId) ids.add(a.uomId);
    return [...ids];
  }, [baseUomId, item, alts]);
  const base = all.find((u) => u.id === baseUomId);

  const submit = (v: Values) => {
    const params = LOT_PARAMS[v.lotSizeRule];
    const body: Record<string, unknown> = {
      code: v.code.trim(),
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      spec: orNull(v.spec),
      description: orNull(v.description),
      itemType: v.itemType,
      makeOrBuy: v.makeOrBuy,
      baseUomId: v.baseUomId,
      purchaseUomId: v.purchaseUomId ?? null,
      salesUomId: v.salesUomId ?? null,
      barcode: orNull(v.barcode),
      abcClass: v.abcClass ?? null,
      leadTimeDays: v.leadTimeDays ?? 0,
      safetyStock: empty(v.safetyStock) ? "0" : v.safetyStock,
      lotSizeRule: v.lotSizeRule,
      tracking: v.tracking,
      shelfLifeDays: v.tracking === "none" ? null : (v.shelfLifeDays ?? null),
      valuationMethod: v.valuationMethod,
      allowNegativeStock: v.allowNegativeStock,
    };
    for (const p of ALL_PARAMS) {
      if (!costVisible && (p === "lotSizeSetupCost" || p === "lotSizeHoldingCost")) continue;
      body[p] = params.includes(p) ? orNull(v[p]) : null;
    }
    if (costVisible && !empty(v.standardCost)) body.standardCost = v.standardCost;
    return save(async () => {
      if (!item) {
        const alternativeUnits = (v.alternativeUnits ?? []).filter((a) => a?.uomId).map((a) => ({ uomId: a.uomId, ...(empty(a.factor) ? {} : { factor: a.factor }) }));
        for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
        const created = await api.post<ItemRow>(`${MD}/items`, { ...body, alternativeUnits }, { idempotencyKey: idemKey() });
        renewKey();
        message.success(tc("created"));
        await qc.invalidateQueries({ queryKey: ["md", "items"] });
        onSaved(created.id);
      } else {
        const changes: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(body)) {
          const before = (item as unknown as Record<string, unknown>)[k] ?? null;
          if (JSON.stringify(before) !== JSON.stringify(val ?? null)) changes[k] = val;
        }
        if (Object.keys(changes).length > 0) {
          await api.patch(`${MD}/items/${item.id}`, changes, { version: item.version });
          message.success(tc("saved"));
          await qc.invalidateQueries({ queryKey: ["md", "items"] });
        }
        onSaved(item.id);
      }
    });
  };

  const decimalRules = (n = 6) => [{ pattern: decimalRule(n), message: t("decimalRule", { n }) }];
  const paramInput = (p: LotParam) => {
    if (p === "lotSizePeriods") {
      return (
        <Form.Item key={p} name={p} label={t(p)} rules={[{ required: true, message: tc("required", { field: t(p) }) }]}>
          <InputNumber min={1} max={366} precision={0} style={{ width: "100%" }} data-testid={`item-${p}`} />
        </Form.Item>
      );
    }
    const required = LOT_PARAMS[rule].length === 1 || rule === "eoq";
    return (
      <Form.Item key={p} name={p} label={t(p)} rules={[...(required ? [{ required: true, message: tc("required", { field: t(p) }) }] : []), ...decimalRules()]}>
        <Input inputMode="decimal" suffix={p.endsWith("Cost") ? undefined : base?.code} data-testid={`item-${p}`} />
      </Form.Item>
    );
  };

  return (
    <FormModal open={open} title={editing ? `${t("itemEdit")} · ${item.code}` : t("itemCreate")} width={980} form={form} busy={busy} onClose={onClose} submitTestId="item-form-submit">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="item-form" scrollToFirstError>
        <Row gutter={12}>
          <Col xs={24} md={6}>
            <CodeItem label={t("itemCode")} pattern={ITEM_CODE} maxLength={40} upperCase={false} placeholder="KW-FAN-40" testId="item-code" />
          </Col>
          <NameItems testId="item" col={{ xs: 24, md: 9 }} />
          <Col xs={24} md={12}>
            <Form.Item name="spec" label={t("spec")}>
              <Input maxLength={200} data-testid="item-spec" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="itemType" label={t("itemType")} rules={[{ required: true }]}>
              <Select options={ITEM_TYPES.map((v) => ({ value: v, label: label("type", v) }))} data-testid="item-type" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="makeOrBuy" label={t("makeOrBuy")} rules={[{ required: true }]}>
              <Select options={["make", "buy"].map((v) => ({ value: v, label: label("mob", v) }))} data-testid="item-makeOrBuy" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="baseUomId" label={t("baseUom")} rules={[{ required: true, message: tc("required", { field: t("baseUom") }) }]}>
              <UomSelect units={all} testId="item-baseUom" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="purchaseUomId" label={t("purchaseUom")}>
              <UomSelect units={all} only={itemUnitIds} allowClear placeholder={t("sameAsBase")} testId="item-purchaseUom" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="salesUomId" label={t("salesUom")}>
              <UomSelect units={all} only={itemUnitIds} allowClear placeholder={t("sameAsBase")} testId="item-salesUom" />
            </Form.Item>
          </Col>
        </Row>
        {!editing && (
          <>
            <Typography.Text type="secondary">{t("altUnitsHint")}</Typography.Text>
            <Form.List name="alternativeUnits">
              {(fields, { add, remove }) => (
                <div style={{ marginTop: 8 }}>
                  {fields.map((f) => (
                    <Space key={f.key} align="baseline" style={{ display: "flex" }}>
                      <Form.Item name={[f.name, "uomId"]} rules={[{ required: true, message: tc("required", { field: t("altUnits") }) }]} style={{ width: 260 }}>
                        <UomSelect units={all.filter((u) => u.id !== baseUomId)} testId={`item-alt-${f.name}-uom`} />
                      </Form.Item>
                      <Typography.Text>=</Typography.Text>
                      <Form.Item name={[f.name, "factor"]} rules={[{ pattern: decimalRule(12), message: t("decimalRule", { n: 12 }) }]} style={{ width: 180 }}>
                        <Input placeholder={t("factor")} inputMode="decimal" data-testid={`item-alt-${f.name}-factor`} />
                      </Form.Item>
                      <Typography.Text>{base ? uomLabel(base, lang) : ""}</Typography.Text>
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t("removeRow")} />
                    </Space>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({})} size="small" data-testid="item-alt-add">
                    {t("addAltUnit")}
                  </Button>
                </div>
              )}
            </Form.List>
          </>
        )}
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col xs={12} md={6}>
            <Form.Item name="barcode" label={t("barcode")} rules={[{ pattern: /^[0-9A-Za-z._-]{4,64}$/, message: tc("codeRule") }]}>
              <Input maxLength={64} data-testid="item-barcode" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="abcClass" label={t("abc")}>
              <Select allowClear options={["A", "B", "C"].map((v) => ({ value: v, label: v }))} data-testid="item-abc" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="description" label={t("description")}>
              <Input.TextArea rows={1} maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain style={{ margin: "4px 0 12px" }}>
          {t("tabPlanning")}
        </Divider>
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item name="leadTimeDays" label={t("leadTime")}>
              <InputNumber min={0} max={3650} precision={0} style={{ width: "100%" }} data-testid="item-leadTime" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="safetyStock" label={t("safetyStock")} rules={decimalRules()}>
              <Input inputMode="decimal" suffix={base?.code} data-testid="item-safetyStock" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="tracking" label={t("tracking")}>
              <Select options={["none", "lot", "serial"].map((v) => ({ value: v, label: label("tracking", v) }))} data-testid="item-tracking" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="shelfLifeDays" label={t("shelfLife")} tooltip={t("shelfLifeHint")}>
              <InputNumber min={1} max={36500} precision={0} style={{ width: "100%" }} disabled={tracking === "none"} data-testid="item-shelfLife" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="lotSizeRule" label={t("lotSizeRule")} extra={t(`lotRuleHint_${rule.replace(/-/g, "_")}` as CatKey)}>
              <Select options={LOT_RULES.map((v) => ({ value: v, label: label("rule", v) }))} data-testid="item-lotSizeRule" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="allowNegativeStock" label={t("allowNegative")} valuePropName="checked">
              <Switch data-testid="item-allowNegative" />
            </Form.Item>
          </Col>
        </Row>
        {LOT_PARAMS[rule].length > 0 && (
          <Row gutter={12}>
            {rule === "eoq" && !costVisible ? (
              <Col span={24}>
                <Alert type="info" showIcon title={t("costHidden")} style={{ marginBottom: 12 }} />
              </Col>
            ) : (
              LOT_PARAMS[rule].map((p) => (
                <Col key={p} xs={12} md={6}>
                  {paramInput(p)}
                </Col>
              ))
            )}
          </Row>
        )}

        <Divider titlePlacement="start" plain style={{ margin: "4px 0 12px" }}>
          {t("tabCosting")}
        </Divider>
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item name="valuationMethod" label={t("valuation")}>
              <Select options={["moving_average", "fifo", "standard"].map((v) => ({ value: v, label: label("val", v) }))} data-testid="item-valuation" />
            </Form.Item>
          </Col>
          {costVisible ? (
            <Col xs={12} md={6}>
              <Form.Item name="standardCost" label={t("standardCost")} rules={decimalRules()}>
                <Input inputMode="decimal" prefix="¥" data-testid="item-standardCost" />
              </Form.Item>
            </Col>
          ) : (
            <Col xs={24} md={18}>
              <Alert type="info" showIcon title={t("costHidden")} />
            </Col>
          )}
        </Row>
      </Form>
    </FormModal>
  );
}

export { DECIMAL_FIELDS };
