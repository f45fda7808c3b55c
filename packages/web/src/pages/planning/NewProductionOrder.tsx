import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, DatePicker, Drawer, Form, Input, Space } from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useIdempotencyKey } from "../../components/hooks";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { planText } from "./i18n";
import { type MakeItem, MakeItemSelect } from "./orderParts";

/** Decimal as typed: up to 12 digits and 6 decimals (the server checks > 0 and the rest). Never a float. */
const QTY_RE = /^\d{1,12}(\.\d{1,6})?$/;

interface Values {
  itemId: number | null;
  quantity: string;
  dueDate: Dayjs | null;
  startDate?: Dayjs | null;
  note?: string;
}

/** Drawer with the manual "new draft production order" form (POST /api/production/orders). */
export function NewProductionOrderDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT(planText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [item, setItem] = useState<MakeItem | undefined>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body = {
      itemId: v.itemId,
      quantity: v.quantity.trim(),
      dueDate: v.dueDate!.format("YYYY-MM-DD"),
      startDate: v.startDate ? v.startDate.format("YYYY-MM-DD") : null,
      note: v.note?.trim() ? v.note.trim() : null,
    };
    modal.confirm({
      title: t("createConfirmTitle"),
      content: t("createConfirmText", {
        item: item ? `${item.code} ${pickName(lang, item.nameZh, item.nameEn)}` : String(v.itemId),
        qty: body.quantity,
        uom: item?.baseUomCode ?? "",
        due: body.dueDate,
      }),
      okText: t("createOk"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "mo-create-confirm" } as Record<string, string>,
      onOk: async () => {
        setBusy(true);
        try {
          const created = await api.post<{ id: number; orderNo: string }>("/api/production/orders", body, { idempotencyKey: idemKey() });
          renewKey();
          message.success(t("createdMo", { no: created.orderNo }));
          await qc.invalidateQueries({ queryKey: ["production"] });
          form.resetFields();
          onClose();
          navigate(`/production/orders/${created.id}`);
        } catch (e) {
          showError(e, { form });
        } finally {
          setBusy(false);
        }
      },
    });
  };

  const label = (k: Parameters<typeof t>[0]) => t(k);
  const req = (k: Parameters<typeof t>[0]) => ({ required: true, message: t("required", { field: t(k) }) });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t("newOrder")}
      size={520}
      destroyOnHidden
      data-testid="mo-new-drawer"
      footer={
        <Space style={{ display: "flex", justifyContent: "flex-end" }}>
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="primary" loading={busy} onClick={submit} data-testid="mo-new-submit">
            {t("createOk")}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon title={t("newOrderHint")} style={{ marginBottom: 16 }} />
      <Form<Values> form={form} layout="vertical" initialValues={{ itemId: null, quantity: "", dueDate: null }} onValuesChange={() => renewKey()}>
        <Form.Item name="itemId" label={label("makeItem")} extra={t("makeItemHint")} rules={[req("makeItem")]}>
          <MakeItemSelect testId="mo-new-item" onChange={(_, i) => setItem(i)} />
        </Form.Item>
        <Form.Item
          name="quantity"
          label={label("quantity")}
          rules={[req("quantity"), { pattern: QTY_RE, message: t("qtyFormat") }]}
          normalize={(v: string) => v.replace(/[,\s]/g, "")}
        >
          <Input inputMode="decimal" suffix={item?.baseUomCode} data-testid="mo-new-quantity" autoComplete="off" />
        </Form.Item>
        <Space style={{ display: "flex" }} align="start">
          <Form.Item name="startDate" label={label("startDateLabel")}>
            <DatePicker data-testid="mo-new-start" />
          </Form.Item>
          <Form.Item name="dueDate" label={label("dueDateLabel")} rules={[req("dueDateLabel")]}>
            <DatePicker data-testid="mo-new-due" />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={label("note")} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="mo-new-note" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
