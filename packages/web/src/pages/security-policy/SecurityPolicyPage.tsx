import { SaveOutlined, UndoOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, InputNumber, Select, Skeleton, Space, Switch, Tag, Typography } from "antd";
import { type ReactNode, useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useRoles } from "../../api/queries";
import type { Role } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { type Lang, pickName, useLang, useT } from "../../i18n/core";
import { policyText } from "./i18n";

/** GET/PUT /api/identity/policy. */
export interface SecurityPolicy {
  passwordMinLength: number;
  passwordMinClasses: number;
  passwordHistory: number;
  passwordMaxAgeDays: number;
  lockoutFailures: number;
  lockoutWindowMinutes: number;
  lockoutMinutes: number;
  ipFailuresPer10Min: number;
  totpRequiredRoles: string[];
  changeAtFirstLogin: boolean;
  version: number;
}

type Values = Omit<SecurityPolicy, "version">;
type NumberField = Exclude<keyof Values, "totpRequiredRoles" | "passwordMinClasses" | "changeAtFirstLogin">;
type Key = keyof (typeof policyText)["zh-CN"];

// The ranges the server accepts (identity/policy.ts); checked here too so a typo is caught before saving.
const RANGES: Record<NumberField, [number, number]> = {
  passwordMinLength: [8, 128],
  passwordHistory: [0, 24],
  passwordMaxAgeDays: [0, 3650],
  lockoutFailures: [3, 20],
  lockoutWindowMinutes: [1, 1440],
  lockoutMinutes: [1, 1440],
  ipFailuresPer10Min: [5, 1000],
};

const FIELDS: (keyof Values)[] = [
  "passwordMinLength",
  "passwordMinClasses",
  "passwordHistory",
  "passwordMaxAgeDays",
  "changeAtFirstLogin",
  "lockoutFailures",
  "lockoutWindowMinutes",
  "lockoutMinutes",
  "ipFailuresPer10Min",
  "totpRequiredRoles",
];

const POLICY_KEY = ["identity", "policy"] as const;

function roleName(roles: Role[] | undefined, code: string, lang: Lang, t: (k: Key, p?: Record<string, string>) => string): string {
  const r = roles?.find((x) => x.code === code);
  return r ? pickName(lang, r.nameZh, r.nameEn) : roles ? t("unknownRole", { code }) : code;
}

/** The company's security policy (permission identity.policy.edit): passwords, lockout, address throttling, required 2FA. */
export default function SecurityPolicyPage() {
  const t = useT(policyText);
  const tc = useT(common);
  const { lang } = useLang();
  const { me, can, refresh } = useAuth();
  const { modal, message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const canReadRoles = can("access.role.read");
  const roles = useRoles(canReadRoles);
  const { data, isLoading, refetch } = useQuery({ queryKey: POLICY_KEY, queryFn: () => api.get<SecurityPolicy>("/api/identity/policy") });

  const load = useCallback(
    (p: SecurityPolicy) => {
      const { version: _, ...stored } = p;
      form.resetFields();
      form.setFieldsValue(stored);
      setDirty(false);
    },
    [form],
  );

  // Only when the stored policy changes (first load, after saving, after a conflict), never while editing.
  useEffect(() => {
    if (data) load(data);
  }, [data, load]);

  const values = Form.useWatch([], form) as Partial<Values> | undefined;

  const roleOptions = useMemo(() => {
    const known = (roles.data ?? []).map((r) => ({
      value: r.code,
      label: `${pickName(lang, r.nameZh, r.nameEn)} (${r.code})`,
      holders: r.holders,
    }));
    // A role in the policy that no longer exists stays visible, so it can be removed.
    const extra = (data?.totpRequiredRoles ?? [])
      .filter((c) => !known.some((k) => k.value === c))
      .map((c) => ({ value: c, label: roles.data ? t("unknownRole", { code: c }) : c, holders: undefined as number | undefined }));
    return [...known, ...extra];
  }, [roles.data, data, lang, t]);

  const display = (field: keyof Values, v: Values[keyof Values] | undefined): string => {
    if (field === "totpRequiredRoles") {
      const list = (v as string[] | undefined) ?? [];
      return list.length ? list.map((c) => roleName(roles.data, c, lang, t)).join("、") : t("none");
    }
    if (field === "passwordMinClasses") return t(`classes${v}` as Key);
    if (field === "changeAtFirstLogin") return t(v ? "on" : "off");
    return String(v ?? "—");
  };

  const changes = (v: Values): { field: keyof Values; before: string; after: string }[] => {
    if (!data) return [];
    return FIELDS.filter((f) => JSON.stringify(f === "totpRequiredRoles" ? [...v[f] as string[]].sort() : v[f]) !== JSON.stringify(f === "totpRequiredRoles" ? [...data[f]].sort() : data[f])).map((f) => ({
      field: f,
      before: display(f, data[f]),
      after: display(f, v[f]),
    }));
  };

  const save = async (v: Values) => {
    if (!data) return;
    const diff = changes(v);
    if (diff.length === 0) {
      message.info(t("noChanges"));
      return;
    }
    const rolesChanged = diff.some((d) => d.field === "totpRequiredRoles");
    modal.confirm({
      title: t("confirmTitle"),
      width: 560,
      content: (
        <div data-testid="policy-confirm">
          <Typography.Paragraph>{t("confirmIntro")}</Typography.Paragraph>
          <ul style={{ paddingInlineStart: 20 }}>
            {diff.map((d) => (
              <li key={d.field}>
                <Typography.Text strong>{t(d.field as Key)}</Typography.Text>: <Typography.Text delete type="secondary">{d.before}</Typography.Text> → {d.after}
              </li>
            ))}
          </ul>
          {rolesChanged && v.totpRequiredRoles.length > 0 && <Alert type="warning" showIcon title={t("totpWarning")} style={{ marginBottom: 8 }} />}
          {rolesChanged && v.totpRequiredRoles.length > 0 && !me?.totpEnabled && <Alert type="warning" showIcon title={t("confirmSelf")} />}
        </div>
      ),
      okText: t("confirmOk"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "policy-confirm-ok" },
      onOk: async () => {
        setBusy(true);
        try {
          // The body carries the version the form was loaded from: a stale one is refused with 409.
          const saved = await api.put<SecurityPolicy>("/api/identity/policy", { ...v, version: data.version }, { version: data.version });
          qc.setQueryData(POLICY_KEY, saved);
          load(saved);
          message.success(t("saved"));
          void qc.invalidateQueries({ queryKey: ["auth", "password-policy"] });
          // If the new rule now applies to the administrator, the app sends them to the set-up page.
          if (rolesChanged) await refresh().catch(() => null);
        } catch (e) {
          showError(e, { form, onConflict: () => void refetch() });
        } finally {
          setBusy(false);
        }
      },
    });
  };

  const numberItem = (name: NumberField, extra?: ReactNode) => {
    const [min, max] = RANGES[name];
    return (
      <Form.Item
        name={name}
        label={t(name)}
        extra={
          <>
            {t(`${name}Help` as Key)}
            {extra}
          </>
        }
        rules={[
          { required: true, message: t("mustBeWhole", { min, max }) },
          { type: "integer", min, max, message: t("mustBeWhole", { min, max }) },
        ]}
      >
        {/* No min/max on the box: it would silently clamp what was typed; the rule above says what is allowed. */}
        <InputNumber precision={0} style={{ width: 160 }} data-testid={`policy-${name}`} />
      </Form.Item>
    );
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        sub={
          data && (
            <Tag data-testid="policy-version" data-version={data.version}>
              {data.version === 0 ? t("versionDefault") : t("version", { version: data.version })}
            </Tag>
          )
        }
      />
      <Alert type="info" showIcon title={t("intro")} style={{ marginBottom: 12, maxWidth: 880 }} />
      {isLoading || !data ? (
        <Card style={{ maxWidth: 880 }}>
          <Skeleton active />
        </Card>
      ) : (
        <Form
          form={form}
          layout="vertical"
          onFinish={save}
          onValuesChange={() => setDirty(true)}
          requiredMark={false}
          data-testid="policy-form"
          style={{ maxWidth: 880 }}
        >
          <Card size="small" title={t("sectionPassword")} style={{ marginBottom: 12 }}>
            <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))", gap: "0 24px" }}>
              {numberItem("passwordMinLength")}
              <Form.Item name="passwordMinClasses" label={t("passwordMinClasses")} extra={t("passwordMinClassesHelp")} rules={[{ required: true }]}>
                <Select
                  style={{ width: 220 }}
                  data-testid="policy-passwordMinClasses"
                  options={[1, 2, 3, 4].map((n) => ({ value: n, label: t(`classes${n}` as Key) }))}
                />
              </Form.Item>
              {numberItem("passwordHistory")}
              {numberItem("passwordMaxAgeDays")}
              <Form.Item name="changeAtFirstLogin" label={t("changeAtFirstLogin")} extra={t("changeAtFirstLoginHelp")} valuePropName="checked">
                <Switch checkedChildren={t("on")} unCheckedChildren={t("off")} data-testid="policy-changeAtFirstLogin" />
              </Form.Item>
            </div>
          </Card>
          <Card size="small" title={t("sectionLockout")} style={{ marginBottom: 12 }}>
            <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))", gap: "0 24px" }}>
              {numberItem("lockoutFailures")}
              {numberItem("lockoutWindowMinutes")}
              {numberItem("lockoutMinutes")}
            </div>
            {values?.lockoutFailures && values.lockoutWindowMinutes && values.lockoutMinutes ? (
              <Typography.Text type="secondary" data-testid="policy-lockout-summary">
                {t("lockoutSummary", { failures: values.lockoutFailures, window: values.lockoutWindowMinutes, minutes: values.lockoutMinutes })}
              </Typography.Text>
            ) : null}
          </Card>
          <Card size="small" title={t("sectionNetwork")} style={{ marginBottom: 12 }}>
            {numberItem("ipFailuresPer10Min")}
          </Card>
          <Card size="small" title={t("sectionTotp")} style={{ marginBottom: 12 }}>
            <Form.Item name="totpRequiredRoles" label={t("totpRequiredRoles")} extra={t("totpRequiredRolesHelp")}>
              <Select
                mode={canReadRoles ? "multiple" : "tags"}
                allowClear
                placeholder={t("totpRequiredRolesPlaceholder")}
                loading={roles.isLoading}
                options={roleOptions}
                optionRender={(o) => (
                  <Space style={{ width: "100%", justifyContent: "space-between" }}>
                    <span>{o.label}</span>
                    {o.data.holders !== undefined && (
                      <Typography.Text type="secondary">{o.data.holders === 1 ? t("holdersOne") : t("holders", { n: o.data.holders })}</Typography.Text>
                    )}
                  </Space>
                )}
                showSearch={{ optionFilterProp: "label" }}
                data-testid="policy-totpRequiredRoles"
              />
            </Form.Item>
            {!canReadRoles && <Alert type="info" showIcon title={t("rolesUnavailable")} style={{ marginBottom: 8 }} />}
            {(values?.totpRequiredRoles?.length ?? 0) > 0 && <Alert type="warning" showIcon title={t("totpWarning")} />}
          </Card>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="policy-save">
              {t("save")}
            </Button>
            <Button icon={<UndoOutlined />} disabled={!dirty || busy} onClick={() => data && load(data)} data-testid="policy-discard">
              {t("discard")}
            </Button>
          </Space>
        </Form>
      )}
    </>
  );
}
