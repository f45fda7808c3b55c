import { Col, type ColProps, Form, type FormItemProps, Input, Modal, type ModalProps, Switch } from "antd";
import { type ReactNode, useState } from "react";
import { type ErrorOptions, useApiError } from "../api/errors";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";
import { useIdempotencyKey } from "./hooks";

/** The usual record code, as common.codeRule describes it: upper-case letters, digits, _ and -, at most 32. */
export const CODE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

export interface RecordFormOptions extends Pick<ErrorOptions, "onConflict"> {
  /** Called after a failure is shown (e.g. to show the tab of the first field in error). */
  onFailed?: (error: unknown) => void;
}

/**
 * What a create/edit dialog keeps: the form, one Idempotency-Key per opening (renew it when the dialog
 * opens and after a create) and `busy` while `save` runs. A failed save is shown the standard way, with the
 * server's field errors under the form's fields; `onConflict` runs on a version conflict (reload, close).
 */
export function useRecordForm<V>({ onConflict, onFailed }: RecordFormOptions = {}) {
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const showError = useApiError();
  const save = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      showError(e, { form, onConflict });
      onFailed?.(e);
    } finally {
      setBusy(false);
    }
  };
  return { form, busy, save, idemKey, renewKey };
}

/**
 * The dialog of a create/edit form: OK submits the form (so its rules run first), Save/Cancel texts, a
 * spinning OK while busy. Rendered while closed too, so that the form is connected when it is filled
 * before opening.
 */
export function FormModal({
  form,
  busy,
  onClose,
  submitTestId,
  submitDisabled,
  children,
  ...modal
}: Pick<ModalProps, "open" | "title" | "width"> & {
  form: { submit: () => void };
  busy: boolean;
  onClose: () => void;
  submitTestId: string;
  submitDisabled?: boolean;
  children: ReactNode;
}) {
  const tc = useT(common);
  return (
    <Modal
      {...modal}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": submitTestId, disabled: submitDisabled }}
      forceRender
    >
      {children}
    </Modal>
  );
}

/** The record's code field: required and checked against `pattern`; upper-cased as it is typed unless `upperCase` is false. */
export function CodeItem({
  label,
  testId,
  pattern = CODE,
  maxLength = 32,
  upperCase = true,
  disabled,
  placeholder,
}: {
  label: string;
  testId: string;
  pattern?: RegExp;
  maxLength?: number;
  upperCase?: boolean;
  disabled?: boolean;
  placeholder?: string;
}) {
  const tc = useT(common);
  return (
    <Form.Item
      name="code"
      label={label}
      normalize={upperCase ? (v: string) => v?.toUpperCase() : undefined}
      rules={[
        { required: true, message: tc("required", { field: label }) },
        { pattern, message: tc("codeRule") },
      ]}
    >
      <Input maxLength={maxLength} disabled={disabled} data-testid={testId} placeholder={placeholder} />
    </Form.Item>
  );
}

/** `item` as it is, or in a grid column when `col` is given. */
function inCol(item: ReactNode, col: ColProps | undefined, key?: string) {
  return col ? (
    <Col key={key} {...col}>
      {item}
    </Col>
  ) : (
    item
  );
}

/** The record's Chinese and English names, both required (test ids `<testId>-nameZh`, `-nameEn`); each in a grid column when `col` is given. */
export function NameItems({ testId, maxLength = 200, col }: { testId: string; maxLength?: number; col?: ColProps }) {
  const tc = useT(common);
  return (
    <>
      {(["nameZh", "nameEn"] as const).map((name) =>
        inCol(
          <Form.Item key={name} name={name} label={tc(name)} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc(name) }) }]}>
            <Input maxLength={maxLength} data-testid={`${testId}-${name}`} />
          </Form.Item>,
          col,
          name,
        ),
      )}
    </>
  );
}

/** The record's "active" switch (edit forms only: a new record starts active); in a grid column when `col` is given. */
export function ActiveItem({ testId, col }: { testId?: string; col?: ColProps }) {
  const tc = useT(common);
  return inCol(
    <Form.Item name="active" label={tc("active")} valuePropName="checked">
      <Switch data-testid={testId} />
    </Form.Item>,
    col,
  );
}

/** A form field in a grid column; `mandatory` adds the usual "please enter …" rule (a blank entry counts as empty). */
export function FieldCol({
  span,
  xs,
  md,
  label,
  mandatory,
  rules,
  children,
  ...item
}: Omit<FormItemProps, "label"> & Pick<ColProps, "span" | "xs" | "md"> & { label: string; mandatory?: boolean }) {
  const tc = useT(common);
  return (
    <Col span={span} xs={xs} md={md}>
      <Form.Item label={label} rules={mandatory ? [{ required: true, whitespace: true, message: tc("required", { field: label }) }, ...(rules ?? [])] : rules} {...item}>
        {children}
      </Form.Item>
    </Col>
  );
}
