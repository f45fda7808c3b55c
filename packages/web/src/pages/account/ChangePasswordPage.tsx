import { Card } from "antd";
import { useNavigate } from "react-router-dom";
import { authText } from "../../auth/i18n";
import { ChangePasswordForm, PasswordIntro } from "../../auth/ChangePasswordForm";
import { PageHeader } from "../../components/PageHeader";
import { useT } from "../../i18n/core";

export default function ChangePasswordPage() {
  const t = useT(authText);
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title={t("changePasswordTitle")} />
      <Card style={{ maxWidth: 480 }}>
        <PasswordIntro forced={false} />
        <ChangePasswordForm knownCurrent={null} onDone={() => navigate("/")} />
      </Card>
    </>
  );
}
