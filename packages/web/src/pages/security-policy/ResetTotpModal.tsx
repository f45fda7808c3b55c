import { useQueryClient } from "@tanstack/react-query";
import { App, Form, Input, Modal, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useIdempotencyKey } from "../../components/hooks";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { resetTotpText } from "./i18n";

export interface ResetTotpTarget {
  id: number;
  username: string;
  displayName: string;
}

/**
 * An administrator removes someone's second factor (lost phone, no recovery code): POST
 * /api/identity/users/:id/totp-reset with a reason for the audit log; their sessions end.
 */
export function ResetTotpModal({ user, onClose }: { user: ResetTotpTarget | null; onClose: () => void }) {
  const t = useT(resetTotpText);
  const tc = useT(common);
  const qc = useQueryClient();
  const { message } = App.useApp();
  const showError = useApiError();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();

  useEffect(() => {
    if (user) {
      form.resetFields();
      renewKey();
    }
  }, [user, form, renewKey]);

  const submit = async ({ reason }: { reason: string }) => {
    if (!user) return;
    setBusy(true);
    try {
      await api.post(`/api/identity/users/${user.id}/totp-reset`, { reason: reason.trim() }, { idempotencyKey: idemKey() });
      renewKey();
      message.success(t("done", { name: user.displayName }));
      void qc.invalidateQueries({ queryKey: ["identity", "users"] });
      onClose();
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={user ? t("title", { name: user.displayName }) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("confirm")}
      cancelText={tc("cancel")}
      okButtonProps={{ danger: true, "data-testid": "user-totp-reset-confirm" }}
      confirmLoading={busy}
      forceRender
    >
      <div data-testid="user-totp-reset-modal">
        <Typography.Paragraph>{t("text")}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="reason"
            label={t("reason")}
            rules={[
              { required: true, whitespace: true, message: t("reasonRequired") },
              { validator: (_, v: string) => (!v || v.trim().length >= 3 ? Promise.resolve() : Promise.reject(new Error(t("reasonRequired")))) },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t("reasonPlaceholder")} data-testid="user-totp-reset-reason" />
          </Form.Item>
        </Form>
      </div>
    </Modal>
  );
}
