import { CopyOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Descriptions, Drawer, Form, Input, Space, Switch, Tag, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { api, isApiError } from "../../api/client";
import { useApiError } from "../../api/errors";
import { usePermissionCatalog } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { useIdempotencyKey } from "../../components/hooks";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { accessText } from "./i18n";
import { PermissionPicker } from "./PermissionPicker";
import { PermissionTags } from "./PermissionTags";
import { expandPatterns, holds } from "./permissionUtil";
import { useAccessRoles } from "./queries";
import type { AccessRole } from "./types";

const ROLE_CODE_RE = /^[a-z][a-z0-9_]{1,63}$/;

export type RoleDrawerState = { mode: "view"; role: AccessRole } | { mode: "edit"; role: AccessRole } | { mode: "create"; from?: AccessRole } | null;

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh?: string;
  descriptionEn?: string;
  delegable: boolean;
  permissions: string[];
}

/** A role in a drawer: built-in roles read-only, custom roles edited, new roles (optionally copied from another). */
export function RoleDrawer({ state, onClose, onChange }: { state: RoleDrawerState; onClose: () => void; onChange: (s: RoleDrawerState) => void }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const [notice, setNotice] = useState<{ key: "patternsExpanded" } | { key: "copyDropped"; count: number } | null>(null);
  const catalog = usePermissionCatalog(state !== null);
  const roles = useAccessRoles(state !== null);
  const mine = useMemo(() => new Set(me?.permissions ?? []), [me]);
  const grantable = (key: string) => holds(mine, key);
  const editing = state?.mode === "edit" ? state.role : null;
  const viewing = state?.mode === "view" ? state.role : null;

  useEffect(() => {
    if (!state || state.mode === "view" || !catalog.data) return;
    renewKey();
    form.resetFields();
    setNotice(null);
    if (state.mode === "edit") {
      const r = state.role;
      // Roles store keys; a "module.*" pattern (possible through the API) is shown as the keys it stands for.
      const expanded = expandPatterns(r.permissions, catalog.data);
      if (r.permissions.some((k) => k !== "*" && k.endsWith(".*"))) setNotice({ key: "patternsExpanded" });
      form.setFieldsValue({
        code: r.code,
        nameZh: r.nameZh,
        nameEn: r.nameEn,
        descriptionZh: r.descriptionZh ?? "",
        descriptionEn: r.descriptionEn ?? "",
        delegable: r.delegable,
        permissions: expanded,
      });
    } else {
      const from = state.from;
      const source = from ? expandPatterns(from.permissions.includes("*") ? catalog.data.map((p) => p.key) : from.permissions, catalog.data) : [];
      const kept = source.filter((k) => holds(mine, k));
      if (kept.length < source.length) setNotice({ key: "copyDropped", count: source.length - kept.length });
      form.setFieldsValue({
        code: "",
        // The copy's names are data in each language, not UI text.
        nameZh: from ? `${from.nameZh}（副本）` : "",
        nameEn: from ? `${from.nameEn} (copy)` : "",
        descriptionZh: from?.descriptionZh ?? "",
        descriptionEn: from?.descriptionEn ?? "",
        delegable: false,
        permissions: kept,
      });
    }
  }, [state, catalog.data, form, renewKey, mine]);

  const submit = async (v: Values) => {
    if (!state || state.mode === "view") return;
    setBusy(true);
    // "/permissions/3" (the key sent at index 3) is shown under the picker.
    const fieldMap = Object.fromEntries(v.permissions.map((_, i) => [`/permissions/${i}`, ["permissions"]]));
    try {
      if (state.mode === "create") {
        await api.post(
          "/api/access/roles",
          {
            code: v.code,
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            ...(v.descriptionZh?.trim() ? { descriptionZh: v.descriptionZh.trim() } : {}),
            ...(v.descriptionEn?.trim() ? { descriptionEn: v.descriptionEn.trim() } : {}),
            permissions: v.permissions,
            delegable: v.delegable,
          },
          { idempotencyKey: idemKey() },
        );
        renewKey();
        message.success(t("roleCreated"));
      } else {
        const r = state.role;
        const changes: Record<string, unknown> = {};
        if (v.nameZh.trim() !== r.nameZh) changes.nameZh = v.nameZh.trim();
        if (v.nameEn.trim() !== r.nameEn) changes.nameEn = v.nameEn.trim();
        if ((v.descriptionZh ?? "").trim() !== (r.descriptionZh ?? "")) changes.descriptionZh = (v.descriptionZh ?? "").trim();
        if ((v.descriptionEn ?? "").trim() !== (r.descriptionEn ?? "")) changes.descriptionEn = (v.descriptionEn ?? "").trim();
        if (v.delegable !== r.delegable) changes.delegable = v.delegable;
        if (JSON.stringify([...v.permissions].sort()) !== JSON.stringify([...r.permissions].sort())) changes.permissions = v.permissions;
        if (Object.keys(changes).length > 0) {
          await api.patch(`/api/access/roles/${r.id}`, { ...changes, version: r.version }, { version: r.version });
          message.success(tc("saved"));
        }
      }
      await qc.invalidateQueries({ queryKey: ["access", "roles"] });
      onClose();
    } catch (e) {
      if (isApiError(e) && e.code === "already_exists") {
        // The unique index is on (company, code): whatever field the server names, it is the code.
        form.setFields([{ name: "code", errors: [t("codeTaken")] }]);
      } else {
        showError(e, { form, fieldMap, onConflict: () => void qc.invalidateQueries({ queryKey: ["access", "roles"] }).then(onClose) });
      }
    } finally {
      setBusy(false);
    }
  };

  const title = !state
    ? ""
    : state.mode === "create"
      ? t("roleCreate")
      : t(state.mode === "edit" ? "roleEditTitle" : "roleViewTitle", { name: pickName(lang, state.role.nameZh, state.role.nameEn) });

  return (
    <Drawer
      open={state !== null}
      title={title}
      size={760}
      onClose={onClose}
      destroyOnHidden
      data-testid="role-drawer"
      extra={
        viewing &&
        can("access.role.edit") && (
          <Button icon={<CopyOutlined />} onClick={() => onChange({ mode: "create", from: viewing })} data-testid="role-copy">
            {t("roleCopy")}
          </Button>
        )
      }
      footer={
        state && state.mode !== "view" ? (
          <Space style={{ justifyContent: "flex-end", width: "100%" }}>
            <Button onClick={onClose}>{tc("cancel")}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="role-form-submit">
              {tc("save")}
            </Button>
          </Space>
        ) : null
      }
    >
      {viewing && (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={viewing.builtin ? t("builtinReadOnly") : t("noEditRight")} />
          <Descriptions
            size="small"
            column={1}
            bordered
            styles={{ label: { width: 160 } }}
            items={[
              { key: "code", label: t("roleCode"), children: <Typography.Text code>{viewing.code}</Typography.Text> },
              { key: "zh", label: tc("nameZh"), children: viewing.nameZh },
              { key: "en", label: tc("nameEn"), children: viewing.nameEn },
              { key: "desc", label: t("description"), children: pickName(lang, viewing.descriptionZh, viewing.descriptionEn) || "—" },
              { key: "kind", label: t("roleKind"), children: viewing.builtin ? <Tag>{t("builtin")}</Tag> : <Tag color="geekblue">{t("custom")}</Tag> },
              { key: "delegable", label: t("delegable"), children: viewing.delegable ? tc("yes") : tc("no") },
              { key: "holders", label: t("holders"), children: viewing.holders },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t("permissions")}
          </Typography.Title>
          <PermissionTags keys={viewing.permissions} catalog={catalog.data ?? []} testIdPrefix={`role-perm-${viewing.code}`} />
        </>
      )}
      {state && state.mode !== "view" && (
        <Form form={form} layout="vertical" onFinish={submit} data-testid="role-form" autoComplete="off" initialValues={{ delegable: false, permissions: [] }}>
          {notice && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={notice.key === "copyDropped" ? t("copyDropped", { count: notice.count }) : t("patternsExpanded")} data-testid="role-form-notice" />}
          {editing && editing.holders > 0 && (
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("holdersAffected", { count: editing.holders })} />
          )}
          <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
            <Form.Item
              name="code"
              label={t("roleCode")}
              extra={state.mode === "create" ? t("roleCodeHint") : undefined}
              normalize={(v: string) => v?.toLowerCase()}
              rules={[
                { required: true, message: tc("required", { field: t("roleCode") }) },
                { pattern: ROLE_CODE_RE, message: t("roleCodeRule") },
                {
                  validator: async (_, v: string) => {
                    if (state.mode === "create" && v && (roles.data ?? []).some((r) => r.code === v)) throw new Error(t("codeTaken"));
                  },
                },
              ]}
            >
              <Input maxLength={64} disabled={state.mode === "edit"} placeholder="planner" data-testid="role-code" />
            </Form.Item>
            <Form.Item name="delegable" label={t("delegable")} valuePropName="checked" extra={t("delegableHint")}>
              <Switch data-testid="role-delegable" />
            </Form.Item>
            <Form.Item name="nameZh" label={tc("nameZh")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameZh") }) }]}>
              <Input maxLength={100} data-testid="role-nameZh" />
            </Form.Item>
            <Form.Item name="nameEn" label={tc("nameEn")} rules={[{ required: true, whitespace: true, message: tc("required", { field: tc("nameEn") }) }]}>
              <Input maxLength={100} data-testid="role-nameEn" />
            </Form.Item>
            <Form.Item name="descriptionZh" label={t("descriptionZh")}>
              <Input.TextArea rows={2} maxLength={500} data-testid="role-descriptionZh" />
            </Form.Item>
            <Form.Item name="descriptionEn" label={t("descriptionEn")}>
              <Input.TextArea rows={2} maxLength={500} data-testid="role-descriptionEn" />
            </Form.Item>
          </div>
          <Form.Item
            name="permissions"
            label={t("permissions")}
            extra={mine.has("*") ? undefined : t("pickerOwnRightsHint")}
            rules={[{ type: "array", min: 1, required: true, message: t("permissionsRequired") }]}
          >
            <PermissionPicker catalog={catalog.data ?? []} mode="role" grantable={grantable} testId="role-perms" />
          </Form.Item>
        </Form>
      )}
    </Drawer>
  );
}
