import { CheckOutlined, CopyOutlined } from "@ant-design/icons";
import { Alert, App, Button, Modal, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { common } from "../i18n/common";
import { defineMessages, useT } from "../i18n/core";
import { copyText } from "./hooks";

const text = defineMessages({
  "zh-CN": {
    title: "一次性密码",
    forUser: "用户 {user} 的一次性密码：",
    once: "此密码只显示这一次，关闭后无法再次查看。请通过安全的方式交给本人；对方首次登录时必须修改密码。",
    done: "我已记下，关闭",
  },
  "en-US": {
    title: "One-time password",
    forUser: "One-time password for {user}:",
    once: "This password is shown only once and cannot be viewed again after you close this window. Hand it to the person in a safe way; they must change it when they first sign in.",
    done: "I have noted it, close",
  },
});

/** Shows a one-time password once, with a copy button. */
export function OneTimePasswordModal({ user, password, onClose }: { user: string; password: string | null; onClose: () => void }) {
  const t = useT(text);
  const tc = useT(common);
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (password) setCopied(false);
  }, [password]);
  return (
    <Modal
      open={password !== null}
      title={t("title")}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose} data-testid="otp-close">
          {t("done")}
        </Button>
      }
    >
      <div data-testid="otp-modal">
        <Typography.Paragraph>{t("forUser", { user })}</Typography.Paragraph>
        <Space.Compact style={{ width: "100%", marginBottom: 16 }}>
          <Typography.Text
            code
            data-testid="otp-value"
            style={{ flex: 1, fontSize: 20, padding: "4px 12px", display: "flex", alignItems: "center", userSelect: "all" }}
          >
            {password}
          </Typography.Text>
          <Button
            icon={copied ? <CheckOutlined /> : <CopyOutlined />}
            data-testid="otp-copy"
            onClick={async () => {
              if (password && (await copyText(password))) {
                setCopied(true);
                message.success(tc("copied"));
              } else {
                message.warning(tc("copyFailed"));
              }
            }}
          >
            {copied ? tc("copied") : tc("copy")}
          </Button>
        </Space.Compact>
        <Alert type="warning" showIcon title={t("once")} />
      </div>
    </Modal>
  );
}
