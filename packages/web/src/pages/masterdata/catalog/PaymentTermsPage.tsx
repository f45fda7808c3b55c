import { DeleteOutlined, EditOutlined, PlusOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../../api/client";
import { useApiError } from "../../../api/errors";
import { useAuth } from "../../../auth/AuthProvider";
import { useIdempotencyKey } from "../../../components/hooks";
import { PageHeader } from "../../../components/PageHeader";
import { common } from "../../../i18n/common";
import { pickName, useLang, useT } from "../../../i18n/core";
import { MD, type PaymentTerm, usePaymentTerms } from "./api";
import { catText } from "./i18n";
import { ActiveTag, P, useEnum } from "./parts";

const CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

/** Same rule as the server's paymentDueDate, for the example line only. */
function example(basis: string, daysNet: number, discountDays: number | null | undefined) {
  const invoice = Date.UTC(2026, 10, 15);
  const from = basis === "end_of_month" ? Date.UTC(2026, 11, 0) : invoice;
  const day = (n: number) => new Date(from + n * 86_400_000).toISOString().slice(0, 10);
  if (basis === "prepayment") return { due: "2026-11-15", until: null };
  return { due: day(daysNet ?? 0), until: discountDays === null || discountDays === undefined ? null : day(discountDays) };
}

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  basis: "invoice" | "end_of_month" | "prepayment";
  daysNet: number;
  discountDays?: number | null;
  discountPercent?: string | null;
  active: boolean;
}

function TermModal({ editing, onClose }: { editing: PaymentTerm | "new" | null; onClose: () => void }) {
  const t = useT(catText);
  const tc = useT(common);
  const label = useEnum();
  const showError = useApiError();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const basis = Form.useWatch("basis", form);
  const daysNet = Form.useWatch("daysNet", form);
  const discountDays = Form.useWatch("discountDays", form);
  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue(editing === "new" ? { basis: "end_of_month", daysNet: 30, active: true } : { ...editing, discountDays: editing.discountDays ?? undefined, discountPercent: editing.discountPercent ?? undefined });
  }, [editing, form, renewKey]);
  const submit = async (v: Values) => {
    setBusy(true);
    const body = {
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      basis: v.basis,
      daysNet: v.basis === "prepayment" ? 0 : (v.daysNet ?? 0),
      discountDays: v.basis === "prepayment" ? null : (v.discountDays ?? null),
      discountPercent: v.basis === "prepayment" || !v.discountPercent ? null : v.discountPercent,
    };
    try {
      if (editing === "new") await api.post(`${MD}/payment-terms`, { code: v.code, ...body }, { idempotencyKey: idemKey() });
      else if (editing) await api.patch(`${MD}/payment-terms/${editing.id}`, { ...body, active: v.active }, { version: editing.version });
      await qc.invalidateQueries({ queryKey: ["md", "payment-terms"] });
      onClose();
    } catch (e) {
      showError(e, { form, onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "payment-terms"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };
  const ex = example(basis ?? "invoice", daysNet ?? 0, discountDays);
  return (
    <Modal
      open={editing !== null}
      title={editing === "new" ? t("termCreate") : t("termEdit")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "term-form-submit" }}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="term-form">
        <Form.Item name="code" label={tc("code")} normalize={(v: string) => v?.toUpperCase()} rules={[{ required: true, message: tc("required", { field: tc("code") }) }, { pattern: CODE, message: tc("codeRule") }]}>
          <Input maxLength={32} disabled={editing !== "new"} data-testid="term-code" />
        </Form.Item>
        <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
          <Input maxLength={200} data-testid="term-nameZh" />
        </Form.Item>
        <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
          <Input maxLength={200} data-testid="term-nameEn" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="basis" label={t("basis")}>
              <Select options={["invoice", "end_of_month", "prepayment"].map((b) => ({ value: b, label: label("basis", b) }))} data-testid="term-basis" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="daysNet" label={t("daysNet")}>
              <InputNumber min={0} max={365} precision={0} disabled={basis === "prepayment"} style={{ width: "100%" }} data-testid="term-days" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="discountDays" label={t("discountDays")}>
              <InputNumber min={0} max={365} precision={0} disabled={basis === "prepayment"} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="discountPercent" label={t("discountPercent")} rules={[{ pattern: /^\d{1,2}(\.\d{1,2})?$/, message: t("decimalRule", { n: 2 }) }]}>
              <Input disabled={basis === "prepayment"} inputMode="decimal" />
            </Form.Item>
          </Col>
          {editing !== "new" && (
            <Col span={12}>
              <Form.Item name="active" label={tc("active")} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Typography.Text type="secondary" data-testid="term-example">
          {t("termExample", { due: ex.due, discount: ex.until ? t("termExampleDiscount", { until: ex.until }) : "" })}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

export default function PaymentTermsPage() {
  const t = useT(catText);
  const tc = useT(common);
  const label = useEnum();
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const terms = usePaymentTerms();
  const [editing, setEditing] = useState<PaymentTerm | "new" | null>(null);
  const canEdit = can(P.partnerEdit);
  const remove = (x: PaymentTerm) =>
    modal.confirm({
      title: t("deleteTitle", { name: x.code }),
      content: t("deleteText"),
      okText: t("delete"),
      okButtonProps: { danger: true },
      cancelText: tc("cancel"),
      onOk: async () => {
        try {
          await api.delete(`${MD}/payment-terms/${x.id}`);
          message.success(t("deleted"));
          await qc.invalidateQueries({ queryKey: ["md", "payment-terms"] });
        } catch (e) {
          showError(e);
        }
      },
    });
  return (
    <>
      <PageHeader
        title={t("termsTitle")}
        extra={
          canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="term-create">
              {t("termCreate")}
            </Button>
          )
        }
      />
      <Card size="small">
        <Table<PaymentTerm>
          rowKey="id"
          size="small"
          loading={terms.isLoading}
          dataSource={terms.data ?? []}
          pagination={false}
          data-testid="terms-table"
          columns={[
            { title: tc("code"), dataIndex: "code", width: 120 },
            { title: tc("name"), key: "name", render: (_, x) => pickName(lang, x.nameZh, x.nameEn) },
            { title: t("basis"), dataIndex: "basis", render: (v: string) => label("basis", v) },
            { title: t("daysNet"), dataIndex: "daysNet", align: "right", width: 90 },
            { title: t("discountPercent"), key: "disc", render: (_, x) => (x.discountPercent ? `${x.discountPercent}% / ${t("days", { n: x.discountDays ?? 0 })}` : "—") },
            { title: t("partnersUsing"), dataIndex: "partnerCount", align: "right", width: 110 },
            { title: t("status"), dataIndex: "active", width: 90, render: (v: boolean) => <ActiveTag active={v} /> },
            ...(canEdit
              ? [
                  {
                    title: tc("actions"),
                    key: "a",
                    width: 100,
                    render: (_: unknown, x: PaymentTerm) => (
                      <Space size={4}>
                        <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(x)} aria-label={tc("edit")} data-testid={`term-edit-${x.code}`} />
                        <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(x)} aria-label={t("delete")} />
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <TermModal editing={editing} onClose={() => setEditing(null)} />
    </>
  );
}
