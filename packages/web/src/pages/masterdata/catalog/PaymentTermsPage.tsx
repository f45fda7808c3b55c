import { useQueryClient } from "@tanstack/react-query";
import { Card, Col, Form, Input, InputNumber, Row, Select, Table, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../../api/client";
import { useAuth } from "../../../auth/AuthProvider";
import { PageHeader } from "../../../components/PageHeader";
import { ActiveItem, CodeItem, FormModal, NameItems, useRecordForm } from "../../../components/recordForm";
import { pickName } from "../../../i18n/core";
import { MD, type PaymentTerm, usePaymentTerms } from "./api";
import { ActiveTag, CreateButton, EditDeleteButtons, P, useCatalogText, useConfirmDelete } from "./parts";

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
  const { t, tc, label } = useCatalogText();
  const qc = useQueryClient();
  const { form, busy, save, idemKey, renewKey } = useRecordForm<Values>({ onConflict: () => void qc.invalidateQueries({ queryKey: ["md", "payment-terms"] }).then(onClose) });
  const basis = Form.useWatch("basis", form);
  const daysNet = Form.useWatch("daysNet", form);
  const discountDays = Form.useWatch("discountDays", form);
  useEffect(() => {
    if (!editing) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue(editing === "new" ? { basis: "end_of_month", daysNet: 30, active: true } : { ...editing, discountDays: editing.discountDays ?? undefined, discountPercent: editing.discountPercent ?? undefined });
  }, [editing, form, renewKey]);
  const submit = (v: Values) => {
    const body = {
      nameZh: v.nameZh.trim(),
      nameEn: v.nameEn.trim(),
      basis: v.basis,
      daysNet: v.basis === "prepayment" ? 0 : (v.daysNet ?? 0),
      discountDays: v.basis === "prepayment" ? null : (v.discountDays ?? null),
      discountPercent: v.basis === "prepayment" || !v.discountPercent ? null : v.discountPercent,
    };
    return save(async () => {
      if (editing === "new") await api.post(`${MD}/payment-terms`, { code: v.code, ...body }, { idempotencyKey: idemKey() });
      else if (editing) await api.patch(`${MD}/payment-terms/${editing.id}`, { ...body, active: v.active }, { version: editing.version });
      await qc.invalidateQueries({ queryKey: ["md", "payment-terms"] });
      onClose();
    });
  };
  const ex = example(basis ?? "invoice", daysNet ?? 0, discountDays);
  return (
    <FormModal open={editing !== null} title={editing === "new" ? t("termCreate") : t("termEdit")} form={form} busy={busy} onClose={onClose} submitTestId="term-form-submit">
      <Form form={form} layout="vertical" onFinish={submit} data-testid="term-form">
        <CodeItem label={tc("code")} disabled={editing !== "new"} testId="term-code" />
        <NameItems testId="term" />
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
          {editing !== "new" && <ActiveItem col={{ span: 12 }} />}
        </Row>
        <Typography.Text type="secondary" data-testid="term-example">
          {t("termExample", { due: ex.due, discount: ex.until ? t("termExampleDiscount", { until: ex.until }) : "" })}
        </Typography.Text>
      </Form>
    </FormModal>
  );
}

export default function PaymentTermsPage() {
  const { t, tc, label, lang } = useCatalogText();
  const { can } = useAuth();
  const qc = useQueryClient();
  const confirmDelete = useConfirmDelete();
  const terms = usePaymentTerms();
  const [editing, setEditing] = useState<PaymentTerm | "new" | null>(null);
  const canEdit = can(P.partnerEdit);
  const remove = (x: PaymentTerm) => confirmDelete({ name: x.code, path: `${MD}/payment-terms/${x.id}`, onDeleted: () => qc.invalidateQueries({ queryKey: ["md", "payment-terms"] }) });
  return (
    <>
      <PageHeader title={t("termsTitle")} extra={canEdit && <CreateButton label={t("termCreate")} onClick={() => setEditing("new")} testId="term-create" />} />
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
                    render: (_: unknown, x: PaymentTerm) => <EditDeleteButtons onEdit={() => setEditing(x)} onDelete={() => remove(x)} editTestId={`term-edit-${x.code}`} />,
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
