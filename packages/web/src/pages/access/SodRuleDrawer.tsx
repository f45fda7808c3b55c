import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Drawer, Form, Input, Space, Switch } from "antd";
import { useEffect, useState } from "react";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { usePermissionCatalog } from "../../api/queries";
import { useIdempotencyKey } from "../../components/hooks";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { accessText } from "./i18n";
import { PermissionPicker } from "./PermissionPicker";
import type { SodRule } from "./types";

const RULE_CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

export type SodRuleDrawerState = { mode: "create" } | { mode: "edit"; rule: SodRule } | null;

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  active: boolean;
  sideA: string[];
  sideB: string[];
}

/** A segregation-of-duties rule: nobody may hold a permission of side A together with one of side B. */
export function SodRuleDrawer({ state, onClose }: { state: SodRuleDrawerState; onClose: () => void }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const catalog = usePermissionCatalog(state !== null);

  useEffect(() => {
    if (!state) return;
    renewKey();
    form.resetFields();
    if (state.mode === "edit") {
      const r = state.rule;
      form.setFieldsValue({ code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, active: r.active, sideA: r.sideA, sideB: r.sideB });
    } else form.setFieldsValue({ code: "", nameZh: "", nameEn: "", active: true, sideA: [], sideB: [] });
  }, [state, form, renewKey]);

  const submit = async (v: Values) => {
    if (!state) return;
    setBusy(true);
    const fieldMap = Object.fromEntries([
      ...v.sideA.map((_, i) => [`/sideA/${i}`, ["sideA"]]),
      ...v.sideB.map((_, i) => [`/sideB/${i}`, ["sideB"]]),
    ]);
    const body = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), sideA: v.sideA, sideB: v.sideB, active: v.active };
    try {
      if (state.mode === "create") {
        await api.post("/api/access/sod-rules", { code: v.code, ...body }, { idempotencyKey: idemKey() });
        renewKey();
        message.success(t("ruleCreated"));
      } else {
        await api.patch(`/api/access/sod-rules/${state.rule.id}`, { ...body, version: state.rule.version }, { version: state.rule.version });
        message.success(tc("saved"));
      }
      await qc.invalidateQueries({ queryKey: ["access", "sod"] });
      onClose();
    } catch (e) {
      showError(e, { form, fieldMap, onConflict: () => void qc.invalidateQueries({ queryKey: ["access", "sod"] }).then(onClose) });
    } finally {
      setBusy(false);
    }
  };

  // The same key on both sides would put everyone holding it in conflict with themselves.
  const bothSides = async (_: unknown, v: string[]) => {
    const a = (form.getFieldValue("sideA") as string[]) ?? [];
    const b = v ?? [];
    const covers = (side: string[], key: string) => side.includes(key) || side.some((p) => p.endsWith(".*") && key.startsWith(p.slice(0, -1)));
    const candidates = new Set([...a, ...b, ...(catalog.data ?? []).map((p) => p.key)]);
    const overlap = [...candidates].filter((k) => !k.endsWith(".*") && covers(a, k) && covers(b, k));
    if (overlap.length > 0) throw new Error(t("sidesOverlap", { keys: overlap.join(", ") }));
  };

  return (
    <Drawer
      open={state !== null}
      title={state?.mode === "edit" ? t("ruleEditTitle", { name: pickName(lang, state.rule.nameZh, state.rule.nameEn) }) : t("ruleCreate")}
      size={820}
      onClose={onClose}
      destroyOnHidden
      data-testid="sod-rule-drawer"
      footer={
        <Space style={{ justifyContent: "flex-end", width: "100%" }}>
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="sod-rule-submit">
            {tc("save")}
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("ruleIntro")} />
      <Form form={form} layout="vertical" onFinish={submit} data-testid="sod-rule-form" autoComplete="off">
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
          <Form.Item
            name="code"
            label={tc("code")}
            normalize={(v: string) => v?.toUpperCase()}
            rules={[
              { required: true, message: tc("required", { field: tc("code") }) },
              { pattern: RULE_CODE_RE, message: tc("codeRule") },
            ]}
          >
            <Input maxLength={32} disabled={state?.mode === "edit"} placeholder="PO-CREATE-APPROVE" data-testid="sod-rule-code" />
          </Form.Item>
          <Form.Item name="active" label={t("ruleActive")} valuePropName="checked" extra={t("ruleActiveHint")}>
            <Switch data-testid="sod-rule-active" />
          </Form.Item>
          <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
            <Input maxLength={100} data-testid="sod-rule-nameZh" />
          </Form.Item>
          <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
            <Input maxLength={100} data-testid="sod-rule-nameEn" />
          </Form.Item>
        </div>
        <Form.Item name="sideA" label={t("sideA")} rules={[{ type: "array", min: 1, required: true, message: t("sideRequired") }]}>
          <PermissionPicker catalog={catalog.data ?? []} mode="rule" testId="sod-side-a" />
        </Form.Item>
        <Form.Item
          name="sideB"
          label={t("sideB")}
          dependencies={["sideA"]}
          rules={[{ type: "array", min: 1, required: true, message: t("sideRequired") }, { validator: bothSides }]}
        >
          <PermissionPicker catalog={catalog.data ?? []} mode="rule" testId="sod-side-b" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
