import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useIdempotencyKey } from "../../components/hooks";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { accessText } from "./i18n";
import { useSodRules } from "./queries";
import type { PersonRef } from "./types";
import { UserPicker } from "./UserPicker";

export interface ExceptionRequestTarget {
  /** The person concerned; asked for when absent. */
  person?: PersonRef;
  /** The rule to preselect. */
  ruleId?: number;
  /** Rules the person is (or would be) in conflict with, offered first. */
  suggested?: number[];
}

interface Values {
  userId?: number;
  ruleId?: number;
  reason: string;
  validUntil?: Dayjs | null;
}

/** Request a segregation-of-duties exception for one person and one rule; someone else decides it (maker ≠ checker). */
export function ExceptionRequestModal({ target, onClose }: { target: ExceptionRequestTarget | null; onClose: () => void }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const rules = useSodRules(target !== null);

  useEffect(() => {
    if (!target) return;
    renewKey();
    form.resetFields();
    form.setFieldsValue({ userId: target.person?.id, ruleId: target.ruleId ?? target.suggested?.[0], reason: "", validUntil: null });
  }, [target, form, renewKey]);

  const suggested = new Set(target?.suggested ?? []);
  const ruleOptions = [...(rules.data ?? [])]
    .filter((r) => r.active || r.id === target?.ruleId)
    .sort((a, b) => Number(suggested.has(b.id)) - Number(suggested.has(a.id)) || a.code.localeCompare(b.code))
    .map((r) => ({
      value: r.id,
      label: `${r.code} · ${pickName(lang, r.nameZh, r.nameEn)}${suggested.has(r.id) ? ` — ${t("ruleInConflict")}` : ""}`,
    }));

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      await api.post(
        "/api/access/sod-exceptions",
        {
          userId: v.userId,
          ruleId: v.ruleId,
          reason: v.reason.trim(),
          ...(v.validUntil ? { validUntil: v.validUntil.endOf("day").toISOString() } : {}),
        },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("exceptionRequested"));
      await qc.invalidateQueries({ queryKey: ["access", "sod", "exceptions"] });
      onClose();
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={t("exceptionRequestTitle")}
      width={620}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("exceptionRequestSubmit")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "exception-form-submit" }}
      forceRender
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("exceptionRequestIntro")} />
      <Form form={form} layout="vertical" onFinish={submit} data-testid="exception-form" autoComplete="off">
        {target?.person ? (
          <Form.Item label={t("person")}>
            <Typography.Text strong data-testid="exception-person">
              {target.person.displayName} ({target.person.username})
            </Typography.Text>
            <Form.Item name="userId" hidden noStyle>
              <InputNumber />
            </Form.Item>
          </Form.Item>
        ) : (
          <Form.Item name="userId" label={t("person")} rules={[{ required: true, message: tc("required", { field: t("person") }) }]}>
            <UserPicker placeholder={t("personSearch")} testId="exception-user" />
          </Form.Item>
        )}
        <Form.Item name="ruleId" label={t("rule")} rules={[{ required: true, message: tc("required", { field: t("rule") }) }]}>
          <Select options={ruleOptions} loading={rules.isLoading} showSearch={{ optionFilterProp: "label" }} data-testid="exception-rule" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("reason")}
          rules={[
            { required: true, whitespace: true, message: tc("required", { field: t("reason") }) },
            { min: 5, message: t("reasonMin") },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t("reasonPlaceholder")} data-testid="exception-reason" />
        </Form.Item>
        <Form.Item name="validUntil" label={t("exceptionValidUntil")} extra={t("exceptionValidUntilHint")}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs().startOf("day"))} style={{ width: 200 }} data-testid="exception-valid-until" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
