import { Card } from "antd";
import { useNavigate } from "react-router-dom";
import { authText } from "../../auth/i18n";
import { ChangePasswordForm, PasswordIntro } from "../../auth/ChangePasswordForm";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n/core";
import { AccountNav } from "./AccountNav";

export default function ChangePasswordPage() {
  const t = useT(authText);
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t("changePasswordTitle")} />
      <AccountNav />
      <Card style={{ maxWidth: 520 }}>
        <PasswordIntro forced={false} />
        <ChangePasswordForm knownCurrent={null} onDone={() => navigate("/")} />
      </Card>
    </>
  );
}
