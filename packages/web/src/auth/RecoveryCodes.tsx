import { CopyOutlined, DownloadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Checkbox, Space, Typography } from "antd";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { copyText } from "../components/hooks";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";
import { mfaText } from "./i18n";

/**
 * The ten recovery codes, shown once right after enrolment: copy, download as a text file, and an
 * explicit "I have saved them" before the page can be left (the server keeps only their hashes).
 */
export function RecoveryCodes({ codes, username, onDone }: { codes: string[]; username: string; onDone: () => void }) {
  const t = useT(mfaText);
  const tc = useT(common);
  const { message } = App.useApp();
  const [saved, setSaved] = useState(false);

  // Closing the tab before saving them loses them for good: let the browser ask.
  useEffect(() => {
    if (saved) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [saved]);

  const asText = () =>
    [t("fileHeader"), t("fileUser", { user: username }), t("fileCreated", { time: dayjs().format("YYYY-MM-DD HH:mm") }), "", ...codes, "", t("fileNote"), ""].join("\r\n");

  const download = () => {
    const url = URL.createObjectURL(new Blob([asText()], { type: "text/plain;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `kaiwu-recovery-codes-${username}.txt`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div data-testid="recovery-step">
      <Alert type="warning" showIcon title={t("codesIntro")} style={{ marginBottom: 16 }} />
      <div
        data-testid="recovery-codes"
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(2, minmax(0, 1fr))",
          gap: "6px 16px",
          padding: "12px 16px",
          background: "#fafafa",
          border: "1px solid #eceef1",
          borderRadius: 6,
          marginBottom: 12,
        }}
      >
        {codes.map((c, i) => (
          <Typography.Text key={c} style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 16 }}>
            <Typography.Text type="secondary" style={{ fontSize: 12, display: "inline-block", width: 22 }}>
              {i + 1}.
            </Typography.Text>
            <span data-testid="recovery-code">{c}</span>
          </Typography.Text>
        ))}
      </div>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button icon={<DownloadOutlined />} onClick={download} data-testid="recovery-download">
          {t("download")}
        </Button>
        <Button
          icon={<CopyOutlined />}
          data-testid="recovery-copy"
          onClick={async () => {
            if (await copyText(codes.join("\n"))) message.success(tc("copied"));
            else message.warning(tc("copyFailed"));
          }}
        >
          {t("copyAll")}
        </Button>
      </Space>
      <div style={{ marginBottom: 16 }}>
        <Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="recovery-saved">
          {t("savedCheck")}
        </Checkbox>
      </div>
      <Button type="primary" block disabled={!saved} onClick={onDone} data-testid="recovery-done">
        {t("done")}
      </Button>
    </div>
  );
}
