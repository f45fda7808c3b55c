import { GlobalOutlined } from "@ant-design/icons";
import { Button, Tooltip } from "antd";
import { common } from "../i18n/common";
import { useLang, useT } from "../i18n/core";

/** Toggles between 中文 and English; shows the language it switches to. */
export function LangSwitch({ type = "text" }: { type?: "text" | "default" }) {
  const { lang, setLang } = useLang();
  const t = useT(common);
  return (
    <Tooltip title={t("langSwitchTitle")}>
      <Button
        type={type}
        icon={<GlobalOutlined />}
        data-testid="lang-switch"
        data-lang={lang}
        lang={lang === "zh-CN" ? "en" : "zh-CN"}
        onClick={() => setLang(lang === "zh-CN" ? "en-US" : "zh-CN")}
      >
        {t("langSwitch")}
      </Button>
    </Tooltip>
  );
}
