import { PlusOutlined, SafetyOutlined, StopOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { api, isApiError } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { DeptSelect } from "../org/DeptSelect";
import { ExceptionRequestModal, type ExceptionRequestTarget } from "./ExceptionRequestModal";
import { accessText } from "./i18n";
import { holds } from "./permissionUtil";
import { afterHoldingChange, useAccessRoles, useSodExceptions, useSodRules, useUserHoldings } from "./queries";
import { predictConflicts } from "./sod";
import type { Holding, HoldingState, PersonRef } from "./types";
import { WarehouseScopeSelect } from "./WarehouseScopeSelect";

const STATE_COLOR: Record<HoldingState, string> = { current: "green", upcoming: "blue", ended: "default" };
const STATE_ORDER: Record<HoldingState, number> = { current: 0, upcoming: 1, ended: 2 };

/** Date and minute in the table, the exact instant on hover. */
function Moment({ value }: { value: string }) {
  return (
    <Tooltip title={formatDateTime(value)}>
      <span>{dayjs(value).format("YYYY-MM-DD HH:mm")}</span>
    </Tooltip>
  );
}

interface GrantValues {
  role?: string;
  departmentId?: number | null;
  warehouseId?: number | null;
  validUntil?: Dayjs | null;
}

/** A person's roles (IAM-4/5/9): what they hold, held and will hold, with scope and validity; grant and revoke. Mount with `key={person.id}`. */
export function UserRolesPanel({ person }: { person: PersonRef }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<GrantValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  const [conflict, setConflict] = useState<{ detail: string; ruleIds: number[] } | null>(null);
  const [requesting, setRequesting] = useState<ExceptionRequestTarget | null>(null);
  const [revoking, setRevoking] = useState<Holding | null>(null);
  const [showEnded, setShowEnded] = useState(true);
  const canAssign = can("access.user_role.assign");
  const canSod = can("access.sod.read");
  const canRequest = canSod && can("access.sod.exception.request");
  const self = me?.id === person.id;

  const holdings = useUserHoldings(person.id);
  const roles = useAccessRoles();
  const rules = useSodRules(canSod);
  const exceptions = useSodExceptions(canSod);
  const chosenRole = Form.useWatch("role", form);

  const rows = useMemo(
    () =>
      [...(holdings.data ?? [])]
        .filter((h) => showEnded || h.state !== "ended")
        .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.validFrom.localeCompare(a.validFrom)),
    [holdings.data, showEnded],
  );
  const mine = useMemo(() => new Set(me?.permissions ?? []), [me]);
  const roleOptions = (roles.data ?? []).map((r) => {
    // Nobody hands out rights they do not hold themselves (the server refuses it too).
    const beyond = !mine.has("*") && r.permissions.some((p) => !holds(mine, p));
    return {
      value: r.code,
      disabled: beyond,
      label: (
        <span data-testid={`grant-role-option-${r.code}`}>
          {pickName(lang, r.nameZh, r.nameEn)} <span style={{ opacity: 0.6 }}>({r.code})</span>
          {beyond && <span style={{ marginInlineStart: 6, opacity: 0.6 }}>— {t("roleBeyondRights")}</span>}
        </span>
      ),
      search: `${r.code} ${r.nameZh} ${r.nameEn}`,
    };
  });

  const predicted = useMemo(
    () =>
      canSod && chosenRole && rules.data && roles.data && holdings.data
        ? predictConflicts(rules.data, roles.data, holdings.data, chosenRole, exceptions.data ?? [], person.username)
        : [],
    [canSod, chosenRole, rules.data, roles.data, holdings.data, exceptions.data, person.username],
  );

  const grant = async (v: GrantValues) => {
    setConflict(null);
    const dup = (holdings.data ?? []).some((h) => h.state !== "ended" && h.role === v.role && (h.departmentId ?? null) === (v.departmentId ?? null) && (h.warehouseId ?? null) === (v.warehouseId ?? null));
    if (dup) {
      form.setFields([{ name: "role", errors: [t("alreadyHeld")] }]);
      return;
    }
    setBusy(true);
    try {
      await api.post(
        "/api/access/user-roles",
        {
          userId: person.id,
          role: v.role,
          ...(v.departmentId ? { departmentId: v.departmentId } : {}),
          ...(v.warehouseId ? { warehouseId: v.warehouseId } : {}),
          ...(v.validUntil ? { validUntil: v.validUntil.endOf("day").toISOString() } : {}),
        },
        { idempotencyKey: idemKey() },
      );
      renewKey();
      message.success(t("granted"));
      form.resetFields();
      await afterHoldingChange(qc, person.id);
    } catch (e) {
      if (isApiError(e) && e.code === "sod_conflict") {
        // Shown in place, with the way out: an exception someone else approves.
        setConflict({ detail: e.detail, ruleIds: predicted.map((r) => r.id) });
      } else {
        showError(e, { form });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="user-roles-panel">
      <Space style={{ marginBottom: 8, justifyContent: "space-between", width: "100%" }} wrap>
        <Typography.Text type="secondary">{t("holdingsIntro")}</Typography.Text>
        <Space size={4}>
          <Typography.Text type="secondary">{t("showEnded")}</Typography.Text>
          <Select
            size="small"
            value={showEnded ? "all" : "active"}
            onChange={(v) => setShowEnded(v === "all")}
            options={[
              { value: "all", label: t("holdingsAll") },
              { value: "active", label: t("holdingsActive") },
            ]}
            style={{ width: 150 }}
            data-testid="holdings-filter"
          />
        </Space>
      </Space>
      <Table<Holding>
        rowKey="id"
        size="small"
        loading={holdings.isLoading}
        dataSource={rows}
        pagination={false}
        data-testid="holdings-table"
        scroll={{ x: 900 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noHoldings")} /> }}
        onRow={(h) => ({ "data-testid": `holding-${h.role}-${h.state}`, style: h.state === "ended" ? { opacity: 0.6 } : undefined }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t("role"),
            key: "role",
            width: 200,
            ellipsis: true,
            render: (_, h) => (
              <span>
                {pickName(lang, h.roleNameZh, h.roleNameEn)}{" "}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {h.role}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t("scope"),
            key: "scope",
            width: 150,
            ellipsis: true,
            render: (_, h) => (
              <Space size={4} wrap>
                {h.departmentId === null ? <Tag color="purple">{t("scopeCompany")}</Tag> : pickName(lang, h.departmentNameZh, h.departmentNameEn)}
                {h.warehouseId !== null && h.warehouseId !== undefined && (
                  <Tooltip title={pickName(lang, h.warehouseNameZh ?? "", h.warehouseNameEn ?? "")}>
                    <Tag color="cyan" data-testid={`holding-warehouse-${h.role}`}>
                      {t("scopeWarehouseTag", { code: h.warehouseCode ?? "" })}
                    </Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          { title: t("validFrom"), dataIndex: "validFrom", width: 130, render: (v: string) => <Moment value={v} /> },
          { title: t("validUntil"), dataIndex: "validUntil", width: 130, render: (v: string | null) => (v ? <Moment value={v} /> : t("openEnded")) },
          { title: t("grantedBy"), dataIndex: "grantedBy", width: 130, ellipsis: true, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t("grantedBySystem")}</Typography.Text> },
          {
            title: t("state"),
            dataIndex: "state",
            width: 80,
            render: (v: HoldingState, h) => (
              <Tag color={STATE_COLOR[v]} data-testid={`holding-state-${h.id}`}>
                {t(`state_${v}`)}
              </Tag>
            ),
          },
          ...(canAssign
            ? [
                {
                  title: tc("actions"),
                  key: "actions",
                  width: 90,
                  render: (_: unknown, h: Holding) =>
                    h.state === "ended" ? null : (
                      <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => setRevoking(h)} data-testid={`holding-revoke-${h.role}`}>
                        {t("revoke")}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />

      {canAssign && (
        <Card size="small" title={t("grantTitle")} style={{ marginTop: 16 }} data-testid="grant-card">
          {self ? (
            <Alert type="info" showIcon title={t("noSelfGrant")} />
          ) : (
            <Form form={form} layout="vertical" onFinish={grant} data-testid="grant-form" autoComplete="off" onValuesChange={() => setConflict(null)}>
              <div style={{ display: "grid", gridTemplateColumns: "minmax(200px, 1.3fr) minmax(180px, 1fr) minmax(150px, 0.8fr) 170px", gap: "0 12px" }}>
                <Form.Item name="role" label={t("role")} rules={[{ required: true, message: tc("required", { field: t("role") }) }]}>
                  <Select options={roleOptions} loading={roles.isLoading} showSearch={{ optionFilterProp: "search" }} placeholder={t("rolePick")} data-testid="grant-role" />
                </Form.Item>
                <Form.Item name="departmentId" label={t("scope")} tooltip={t("scopeHint")}>
                  <DeptSelect placeholder={t("scopeCompany")} testId="grant-department" />
                </Form.Item>
                <Form.Item name="warehouseId" label={t("scopeWarehouse")} tooltip={t("scopeWarehouseHint")}>
                  <WarehouseScopeSelect placeholder={t("scopeAllWarehouses")} enabled={canAssign} testId="grant-warehouse" />
                </Form.Item>
                <Form.Item name="validUntil" label={t("validUntil")} tooltip={t("validUntilHint")}>
                  <DatePicker
                    placeholder={t("openEnded")}
                    disabledDate={(d) => d.isBefore(dayjs().startOf("day"))}
                    style={{ width: "100%" }}
                    data-testid="grant-valid-until"
                  />
                </Form.Item>
              </div>
              {predicted.length > 0 && !conflict && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 12 }}
                  data-testid="grant-sod-preview"
                  title={t("sodPreview", { rules: predicted.map((r) => pickName(lang, r.nameZh, r.nameEn)).join("; ") })}
                />
              )}
              {conflict && (
                <Alert
                  type="error"
                  showIcon
                  style={{ marginBottom: 12 }}
                  data-testid="grant-sod-conflict"
                  title={t("sodConflictTitle")}
                  description={
                    <>
                      <div data-testid="grant-sod-conflict-detail">{conflict.detail}</div>
                      {canSod && (
                        <Link to="/access/sod?tab=exceptions" style={{ display: "inline-block", marginTop: 4 }}>
                          {t("sodOpenPage")}
                        </Link>
                      )}
                    </>
                  }
                  action={
                    canRequest && (
                      <Button
                        size="small"
                        icon={<SafetyOutlined />}
                        onClick={() => setRequesting({ person, suggested: conflict.ruleIds })}
                        data-testid="grant-request-exception"
                      >
                        {t("requestException")}
                      </Button>
                    )
                  }
                />
              )}
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="grant-submit">
                {t("grant")}
              </Button>
            </Form>
          )}
        </Card>
      )}

      <RevokeModal holding={revoking} person={person} onClose={() => setRevoking(null)} />
      <ExceptionRequestModal target={requesting} onClose={() => setRequesting(null)} />
    </div>
  );
}

function RevokeModal({ holding, person, onClose }: { holding: Holding | null; person: PersonRef; onClose: () => void }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  useEffect(() => {
    if (holding) {
      setReason("");
      renewKey();
    }
  }, [holding, renewKey]);
  const submit = async () => {
    if (!holding) return;
    setBusy(true);
    try {
      await api.post(`/api/access/user-roles/${holding.id}/revoke`, reason.trim() ? { reason: reason.trim() } : {}, { idempotencyKey: idemKey() });
      message.success(t("revoked"));
      await afterHoldingChange(qc, person.id);
      onClose();
    } catch (e) {
      showError(e);
      // e.g. it ended meanwhile: show what is stored now
      await afterHoldingChange(qc, person.id);
    } finally {
      setBusy(false);
    }
  };
  const name = holding ? pickName(lang, holding.roleNameZh, holding.roleNameEn) : "";
  return (
    <Modal
      open={holding !== null}
      title={t("revokeTitle", { role: name, person: person.displayName })}
      onCancel={onClose}
      onOk={submit}
      okText={t("revokeConfirm")}
      cancelText={tc("cancel")}
      okButtonProps={{ danger: true, "data-testid": "revoke-confirm" }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph>{t("revokeText")}</Typography.Paragraph>
      {holding?.departmentId !== null && holding && (
        <Typography.Paragraph type="secondary">{t("revokeScope", { dept: pickName(lang, holding.departmentNameZh, holding.departmentNameEn) })}</Typography.Paragraph>
      )}
      <Tooltip title={t("revokeReasonHint")}>
        <Typography.Text strong>{t("revokeReason")}</Typography.Text>
      </Tooltip>
      <Input.TextArea
        rows={3}
        maxLength={500}
        showCount
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t("revokeReasonPlaceholder")}
        style={{ marginTop: 4 }}
        data-testid="revoke-reason"
      />
    </Modal>
  );
}
