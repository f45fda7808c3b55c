import { CopyOutlined, UploadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, App, Button, Form, Input, Result, Skeleton, TreeSelect, type TreeSelectProps, Typography, Upload } from "antd";
import type { UploadFile } from "antd/es/upload/interface";
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError } from "../../api/client";
import { useApiError } from "../../api/errors";
import type { Department } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { copyText } from "../../components/hooks";
import { pickName, useLang, useT } from "../../i18n/core";
import { deptTreeOptions } from "../org/deptTree";
import { publicRequest, type RegistrationForm } from "./api";
import { regText } from "./i18n";
import { PublicShell } from "./PublicShell";

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const PROOF_TYPES = ["application/pdf", "image/jpeg", "image/png"];

interface Values {
  fullName: string;
  username: string;
  email: string;
  departmentId: number;
  jobTitle: string;
  password: string;
  confirm: string;
  proofs: UploadFile[];
}

export default function ApplyPage() {
  const t = useT(regText);
  const { lang } = useLang();
  const { me } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ number: string; email: string } | null>(null);
  const formInfo = useQuery({ queryKey: ["public", "registration", "form"], queryFn: () => publicRequest<RegistrationForm>("GET", "/api/public/registration/form") });

  const companies = useMemo(() => new Map((formInfo.data?.departments ?? []).map((d) => [d.companyId, d])), [formInfo.data]);
  const treeData = useMemo((): NonNullable<TreeSelectProps["treeData"]> => {
    const depts = formInfo.data?.departments ?? [];
    const byCompany = [...companies.values()];
    const options = (companyId: number) =>
      deptTreeOptions(
        depts.filter((d) => d.companyId === companyId).map((d) => ({ ...d, managerUserId: null, active: true, version: 1 }) as Department),
        lang,
      );
    // One company: its departments; several: each company as a group above its departments.
    if (byCompany.length <= 1) return byCompany.length ? options(byCompany[0].companyId) : [];
    return byCompany.map((c) => ({
      value: `c${c.companyId}`,
      title: pickName(lang, c.companyNameZh, c.companyNameEn),
      selectable: false,
      children: options(c.companyId),
    }));
  }, [formInfo.data, companies, lang]);

  const policy = formInfo.data?.passwordPolicy ?? { minLength: 10, minClasses: 3 };

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const data = new FormData();
      data.set("fullName", v.fullName.trim());
      data.set("username", v.username.trim());
      data.set("email", v.email.trim());
      data.set("departmentId", String(v.departmentId));
      data.set("jobTitle", v.jobTitle.trim());
      data.set("password", v.password);
      for (const f of v.proofs ?? []) if (f.originFileObj) data.append("proofs", f.originFileObj, f.name);
      const r = await publicRequest<{ number: string }>("POST", "/api/public/registrations", data);
      setDone({ number: r.number, email: v.email.trim() });
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) message.error(t("tooMany"));
      // "/proofs/1" (one file) is shown under the files field.
      else
        showError(e, {
          form,
          fieldMap: Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`/proofs/${i}`, ["proofs"]])),
        });
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <PublicShell title={t("submittedTitle")}>
        <Result
          status="success"
          title={t("submittedTitle")}
          subTitle={t("submittedText")}
          extra={[
            <Button key="s" type="primary" onClick={() => navigate("/register/status", { state: done })} data-testid="apply-check-status">
              {t("checkStatus")}
            </Button>,
          ]}
        >
          <div style={{ textAlign: "center" }}>
            <Typography.Text type="secondary">{t("applicationNumber")}</Typography.Text>
            <Typography.Title level={3} style={{ margin: "4px 0" }} data-testid="apply-number" copyable={{ icon: <CopyOutlined />, text: done.number, onCopy: () => void copyText(done.number) }}>
              {done.number}
            </Typography.Title>
          </div>
        </Result>
      </PublicShell>
    );
  }

  return (
    <PublicShell title={t("applyTitle")}>
      <Typography.Paragraph type="secondary">{t("applyIntro")}</Typography.Paragraph>
      {me && <Alert type="info" showIcon title={t("signedInNote")} style={{ marginBottom: 12 }} />}
      {formInfo.isLoading ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="apply-form" autoComplete="off">
          <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))", gap: "0 12px" }}>
            <Form.Item name="fullName" label={t("fullName")} rules={[{ required: true, whitespace: true, message: t("fullNameRequired") }]}>
              <Input maxLength={100} data-testid="apply-fullName" autoComplete="name" />
            </Form.Item>
            <Form.Item
              name="username"
              label={t("username")}
              normalize={(v: string) => v?.toLowerCase()}
              rules={[
                { required: true, message: t("usernameRequired") },
                { pattern: USERNAME_RE, message: t("usernameRule") },
              ]}
            >
              <Input maxLength={64} data-testid="apply-username" placeholder="zhang.san" autoComplete="username" />
            </Form.Item>
            <Form.Item name="email" label={t("email")} extra={t("emailHint")} rules={[{ required: true, type: "email", message: t("emailRule") }]}>
              <Input maxLength={200} data-testid="apply-email" autoComplete="email" />
            </Form.Item>
            <Form.Item name="departmentId" label={t("department")} rules={[{ required: true, message: t("departmentRequired") }]}>
              <TreeSelect
                treeData={treeData}
                showSearch={{ treeNodeFilterProp: "title" }}
                treeDefaultExpandAll
                popupMatchSelectWidth={false}
                data-testid="apply-department"
              />
            </Form.Item>
            <Form.Item name="jobTitle" label={t("jobTitle")} rules={[{ required: true, whitespace: true, message: t("jobTitleRequired") }]}>
              <Input maxLength={100} data-testid="apply-jobTitle" />
            </Form.Item>
          </div>
          <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))", gap: "0 12px" }}>
            <Form.Item
              name="password"
              label={t("password")}
              extra={t("passwordHint", { min: policy.minLength, classes: policy.minClasses })}
              rules={[
                { required: true, message: t("passwordRequired") },
                { min: policy.minLength, message: t("passwordTooShort", { min: policy.minLength }) },
              ]}
            >
              <Input.Password maxLength={256} autoComplete="new-password" data-testid="apply-password" />
            </Form.Item>
            <Form.Item
              name="confirm"
              label={t("confirm")}
              dependencies={["password"]}
              rules={[
                { required: true, message: t("confirmRequired") },
                ({ getFieldValue }) => ({
                  validator: (_, value) => (!value || value === getFieldValue("password") ? Promise.resolve() : Promise.reject(new Error(t("mismatch")))),
                }),
              ]}
            >
              <Input.Password maxLength={256} autoComplete="new-password" data-testid="apply-confirm" />
            </Form.Item>
          </div>
          <Form.Item
            name="proofs"
            label={t("proofs")}
            extra={t("proofsHint")}
            valuePropName="fileList"
            getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList}
            rules={[
              {
                validator: async (_, files: UploadFile[] | undefined) => {
                  if (!files || files.length === 0) throw new Error(t("proofsRequired"));
                  if (files.length > 5) throw new Error(t("proofsTooMany"));
                  for (const f of files) {
                    if (!PROOF_TYPES.includes(f.type ?? "")) throw new Error(`${f.name}: ${t("proofsType")}`);
                    if ((f.size ?? 0) > 10 * 1024 * 1024) throw new Error(`${f.name}: ${t("proofsSize")}`);
                  }
                },
              },
            ]}
          >
            <Upload beforeUpload={() => false} multiple maxCount={5} accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" data-testid="apply-proofs">
              <Button icon={<UploadOutlined />}>{t("pickFiles")}</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="apply-submit">
            {t("submit")}
          </Button>
          <div style={{ marginTop: 12, textAlign: "center" }}>
            <Link to="/register/status" data-testid="apply-to-status">
              {t("checkStatus")}
            </Link>
          </div>
        </Form>
      )}
    </PublicShell>
  );
}
