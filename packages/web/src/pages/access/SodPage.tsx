import { CheckOutlined, CloseOutlined, EditOutlined, PlusOutlined, ReloadOutlined, SafetyOutlined, TeamOutlined } from "@ant-design/icons";
import { useQueryClient } from "@tanstack/react-query";
import { Alert, App, Badge, Button, Card, Empty, Form, Input, Modal, Segmented, Space, Table, Tabs, Tag, Tooltip, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { api } from "../../api/client";
import { useApiError } from "../../api/errors";
import { usePermissionCatalog } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { formatDate, formatDateTime } from "../../components/format";
import { useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { pickName, useLang, useT } from "../../i18n/core";
import { UserDrawer, type UserDrawerTab } from "../identity/UserDrawer";
import { ExceptionRequestModal, type ExceptionRequestTarget } from "./ExceptionRequestModal";
import { accessText } from "./i18n";
import { PermissionTags } from "./PermissionTags";
import { useSodConflicts, useSodExceptions, useSodRules } from "./queries";
import { SodRuleDrawer, type SodRuleDrawerState } from "./SodRuleDrawer";
import type { ExceptionStatus, PersonRef, SodConflictRow, SodException, SodRule } from "./types";

type Tab = "rules" | "conflicts" | "exceptions";
const TABS: Tab[] = ["rules", "conflicts", "exceptions"];
const STATUS_COLOR: Record<ExceptionStatus | "expired", string> = { pending: "gold", approved: "green", rejected: "red", revoked: "default", expired: "default" };

const expired = (e: SodException) => e.status === "approved" && e.validUntil !== null && Date.parse(e.validUntil) <= Date.now();

/** Segregation of duties: the rules, who breaks them now, and the recorded exceptions with their decisions. */
export default function SodPage() {
  const t = useT(accessText);
  const tc = useT(common);
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.includes(params.get("tab") as Tab) ? (params.get("tab") as Tab) : "rules";
  const rules = useSodRules();
  const conflicts = useSodConflicts();
  const exceptions = useSodExceptions();
  const pending = (exceptions.data ?? []).filter((e) => e.status === "pending").length;
  const refresh = () => {
    void rules.refetch();
    void conflicts.refetch();
    void exceptions.refetch();
  };
  return (
    <>
      <PageHeader
        title={t("sodTitle")}
        extra={
          <Button icon={<ReloadOutlined />} onClick={refresh} loading={rules.isFetching || conflicts.isFetching || exceptions.isFetching}>
            {tc("refresh")}
          </Button>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          { key: "rules", label: <span data-testid="sod-tab-rules">{t("tabRules")}</span>, children: <RulesTab rules={rules.data ?? []} loading={rules.isLoading} /> },
          {
            key: "conflicts",
            label: (
              <span data-testid="sod-tab-conflicts">
                {t("tabConflicts")} <Badge count={conflicts.data?.length ?? 0} showZero={false} color="red" size="small" />
              </span>
            ),
            children: <ConflictsTab rows={conflicts.data ?? []} loading={conflicts.isLoading} />,
          },
          {
            key: "exceptions",
            label: (
              <span data-testid="sod-tab-exceptions">
                {t("tabExceptions")} <Badge count={pending} showZero={false} color="gold" size="small" />
              </span>
            ),
            children: <ExceptionsTab rows={exceptions.data ?? []} loading={exceptions.isLoading} />,
          },
        ]}
      />
    </>
  );
}

function RulesTab({ rules, loading }: { rules: SodRule[]; loading: boolean }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const catalog = usePermissionCatalog();
  const [drawer, setDrawer] = useState<SodRuleDrawerState>(null);
  const canEdit = can("access.sod.edit");
  return (
    <Card size="small">
      <div className="kw-toolbar" style={{ justifyContent: "space-between" }}>
        <Typography.Text type="secondary">{t("rulesIntro")}</Typography.Text>
        {canEdit && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ mode: "create" })} data-testid="sod-rule-create">
            {t("ruleCreate")}
          </Button>
        )}
      </div>
      <Table<SodRule>
        rowKey="id"
        size="small"
        loading={loading || catalog.isLoading}
        dataSource={rules}
        pagination={false}
        data-testid="sod-rules-table"
        scroll={{ x: "max-content" }}
        locale={{ emptyText: <Empty description={t("rulesEmpty")} /> }}
        columns={[
          {
            title: t("rule"),
            key: "rule",
            width: 260,
            render: (_, r) => (
              <div data-testid={`sod-rule-${r.code}`}>
                <Typography.Text strong>{pickName(lang, r.nameZh, r.nameEn)}</Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.code}
                </Typography.Text>
              </div>
            ),
          },
          { title: t("sideA"), key: "a", width: 340, render: (_, r) => <PermissionTags keys={r.sideA} catalog={catalog.data ?? []} grouped={false} /> },
          { title: t("sideB"), key: "b", width: 340, render: (_, r) => <PermissionTags keys={r.sideB} catalog={catalog.data ?? []} grouped={false} /> },
          {
            title: t("ruleActive"),
            dataIndex: "active",
            width: 90,
            render: (v: boolean) => (v ? <Tag color="green">{tc("active")}</Tag> : <Tag>{tc("inactive")}</Tag>),
          },
          ...(canEdit
            ? [
                {
                  title: tc("actions"),
                  key: "actions",
                  width: 90,
                  render: (_: unknown, r: SodRule) => (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDrawer({ mode: "edit", rule: r })} data-testid={`sod-rule-edit-${r.code}`}>
                      {tc("edit")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <SodRuleDrawer state={drawer} onClose={() => setDrawer(null)} />
    </Card>
  );
}

function ConflictsTab({ rows, loading }: { rows: SodConflictRow[]; loading: boolean }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const catalog = usePermissionCatalog();
  const [requesting, setRequesting] = useState<ExceptionRequestTarget | null>(null);
  const [opened, setOpened] = useState<{ person: PersonRef; tab: UserDrawerTab } | null>(null);
  const canRequest = can("access.sod.exception.request");
  // One line per person and rule: each conflict is resolved on its own (a revocation or an exception).
  const lines = useMemo(
    () => rows.flatMap((u) => u.conflicts.map((c) => ({ key: `${u.id}-${c.ruleId}`, user: u, conflict: c, first: c === u.conflicts[0], span: u.conflicts.length }))),
    [rows],
  );
  type Line = (typeof lines)[number];
  return (
    <Card size="small">
      <Alert type={rows.length ? "warning" : "success"} showIcon style={{ marginBottom: 12 }} title={rows.length === 0 ? t("conflictsNone") : rows.length === 1 ? t("conflictsIntroOne") : t("conflictsIntro", { count: rows.length })} />
      <Table<Line>
        rowKey="key"
        size="small"
        loading={loading || catalog.isLoading}
        dataSource={lines}
        pagination={false}
        bordered
        data-testid="sod-conflicts-table"
        scroll={{ x: "max-content" }}
        locale={{ emptyText: <Empty description={t("conflictsNone")} /> }}
        columns={[
          {
            title: t("person"),
            key: "person",
            width: 200,
            onCell: (l) => ({ rowSpan: l.first ? l.span : 0 }),
            render: (_, l) => (
              <div data-testid={`sod-conflict-${l.user.username}`}>
                <Typography.Text strong>{l.user.displayName}</Typography.Text>
                <br />
                <Typography.Text type="secondary">{l.user.username}</Typography.Text>
                {can("access.role.read") && (
                  <div>
                    <Button
                      type="link"
                      size="small"
                      icon={<TeamOutlined />}
                      style={{ paddingInline: 0 }}
                      onClick={() => setOpened({ person: { id: l.user.id, username: l.user.username, displayName: l.user.displayName }, tab: "roles" })}
                      data-testid={`sod-conflict-roles-${l.user.username}`}
                    >
                      {t("viewRoles")}
                    </Button>
                  </div>
                )}
              </div>
            ),
          },
          {
            title: t("rule"),
            key: "rule",
            width: 220,
            render: (_, l) => (
              <>
                <Typography.Text>{pickName(lang, l.conflict.nameZh, l.conflict.nameEn)}</Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {l.conflict.code}
                </Typography.Text>
              </>
            ),
          },
          { title: t("sideA"), key: "a", width: 260, render: (_, l) => <PermissionTags keys={l.conflict.sideA} catalog={catalog.data ?? []} grouped={false} /> },
          { title: t("sideB"), key: "b", width: 260, render: (_, l) => <PermissionTags keys={l.conflict.sideB} catalog={catalog.data ?? []} grouped={false} /> },
          ...(canRequest
            ? [
                {
                  title: tc("actions"),
                  key: "actions",
                  width: 190,
                  render: (_: unknown, l: Line) => (
                    <Button
                      size="small"
                      icon={<SafetyOutlined />}
                      onClick={() =>
                        setRequesting({ person: { id: l.user.id, username: l.user.username, displayName: l.user.displayName }, ruleId: l.conflict.ruleId })
                      }
                      data-testid={`sod-conflict-request-${l.user.username}-${l.conflict.code}`}
                    >
                      {t("requestException")}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t("conflictsSuperAdminNote")}
      </Typography.Paragraph>
      <ExceptionRequestModal target={requesting} onClose={() => setRequesting(null)} />
      <UserDrawer
        person={opened?.person ?? null}
        tab={opened?.tab ?? "roles"}
        onTab={(tab) => setOpened((o) => (o ? { ...o, tab } : o))}
        onClose={() => setOpened(null)}
      />
    </Card>
  );
}

type StatusFilter = "pending" | "approved" | "rejected" | "all";

function ExceptionsTab({ rows, loading }: { rows: SodException[]; loading: boolean }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { me, can } = useAuth();
  const [filter, setFilter] = useState<StatusFilter>("all");
  const [requesting, setRequesting] = useState<ExceptionRequestTarget | null>(null);
  const [deciding, setDeciding] = useState<{ ex: SodException; approve: boolean } | null>(null);
  const canApprove = can("access.sod.exception.approve");
  const data = rows.filter((e) => filter === "all" || e.status === filter);
  const count = (s: StatusFilter) => rows.filter((e) => s === "all" || e.status === s).length;

  return (
    <Card size="small">
      <div className="kw-toolbar" style={{ justifyContent: "space-between" }}>
        <Segmented<StatusFilter>
          value={filter}
          onChange={setFilter}
          data-testid="sod-exceptions-filter"
          options={(["all", "pending", "approved", "rejected"] as const).map((s) => ({
            value: s,
            label: `${s === "all" ? tc("all") : t(`exStatus_${s}`)} (${count(s)})`,
          }))}
        />
        {can("access.sod.exception.request") && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setRequesting({})} data-testid="sod-exception-create">
            {t("requestException")}
          </Button>
        )}
      </div>
      <Table<SodException>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data}
        data-testid="sod-exceptions-table"
        scroll={{ x: "max-content" }}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("exceptionsEmpty")} /> }}
        columns={[
          {
            title: t("person"),
            key: "person",
            width: 150,
            render: (_, e) => (
              <span data-testid={`sod-exception-${e.id}`}>
                {e.displayName}
                <br />
                <Typography.Text type="secondary">{e.username}</Typography.Text>
              </span>
            ),
          },
          {
            title: t("rule"),
            key: "rule",
            width: 190,
            render: (_, e) => (
              <>
                {pickName(lang, e.ruleNameZh, e.ruleNameEn)}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.ruleCode}
                </Typography.Text>
              </>
            ),
          },
          { title: t("reason"), dataIndex: "reason", width: 220, render: (v: string) => <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ marginBottom: 0 }}>{v}</Typography.Paragraph> },
          {
            title: t("requested"),
            key: "requested",
            width: 160,
            render: (_, e) => (
              <>
                {e.requestedBy}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(e.requestedAt)}
                </Typography.Text>
              </>
            ),
          },
          { title: t("validUntil"), dataIndex: "validUntil", width: 100, render: (v: string | null) => (v ? formatDate(v) : t("openEnded")) },
          {
            title: t("status"),
            key: "status",
            width: 90,
            render: (_, e) => {
              const s = expired(e) ? "expired" : e.status;
              return (
                <Tag color={STATUS_COLOR[s]} data-testid={`sod-exception-status-${e.id}`} data-status={s}>
                  {t(`exStatus_${s}`)}
                </Tag>
              );
            },
          },
          {
            title: t("decision"),
            key: "decision",
            width: 200,
            render: (_, e) =>
              e.status === "pending" ? (
                canApprove ? (
                  e.username === me?.username ? (
                    <Typography.Text type="secondary">{t("concernsYou")}</Typography.Text>
                  ) : (
                    <Space size={4}>
                      <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setDeciding({ ex: e, approve: true })} data-testid={`sod-exception-approve-${e.id}`}>
                        {t("approve")}
                      </Button>
                      <Button size="small" danger icon={<CloseOutlined />} onClick={() => setDeciding({ ex: e, approve: false })} data-testid={`sod-exception-reject-${e.id}`}>
                        {t("reject")}
                      </Button>
                    </Space>
                  )
                ) : (
                  <Typography.Text type="secondary">{t("awaitingDecision")}</Typography.Text>
                )
              ) : (
                <>
                  {e.decidedBy ?? "—"}
                  {e.decidedAt && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {" "}
                      · {formatDateTime(e.decidedAt)}
                    </Typography.Text>
                  )}
                  {e.decisionNote && (
                    <Tooltip title={e.decisionNote}>
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 1 }} style={{ marginBottom: 0 }}>
                        {e.decisionNote}
                      </Typography.Paragraph>
                    </Tooltip>
                  )}
                </>
              ),
          },
        ]}
      />
      <ExceptionRequestModal target={requesting} onClose={() => setRequesting(null)} />
      <DecideModal deciding={deciding} onClose={() => setDeciding(null)} />
    </Card>
  );
}

function DecideModal({ deciding, onClose }: { deciding: { ex: SodException; approve: boolean } | null; onClose: () => void }) {
  const t = useT(accessText);
  const tc = useT(common);
  const { lang } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const showError = useApiError();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  useEffect(() => {
    if (deciding) {
      form.resetFields();
      renewKey();
    }
  }, [deciding, form, renewKey]);
  const submit = async ({ note }: { note: string }) => {
    if (!deciding) return;
    setBusy(true);
    try {
      await api.post(`/api/access/sod-exceptions/${deciding.ex.id}/decide`, { approve: deciding.approve, note: note.trim() }, { idempotencyKey: idemKey() });
      message.success(deciding.approve ? t("exceptionApproved") : t("exceptionRejected"));
      await qc.invalidateQueries({ queryKey: ["access", "sod"] });
      onClose();
    } catch (e) {
      showError(e, { form });
      await qc.invalidateQueries({ queryKey: ["access", "sod", "exceptions"] });
    } finally {
      setBusy(false);
    }
  };
  const ex = deciding?.ex;
  return (
    <Modal
      open={deciding !== null}
      title={deciding?.approve ? t("approveTitle") : t("rejectTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={deciding?.approve ? t("approve") : t("reject")}
      cancelText={tc("cancel")}
      okButtonProps={{ danger: deciding ? !deciding.approve : false, "data-testid": "sod-decide-confirm" }}
      confirmLoading={busy}
      forceRender
    >
      {ex && (
        <Typography.Paragraph>
          {t("decideSummary", { person: `${ex.displayName} (${ex.username})`, rule: pickName(lang, ex.ruleNameZh, ex.ruleNameEn) })}
          <br />
          <Typography.Text type="secondary">
            {t("reason")}: {ex.reason}
          </Typography.Text>
        </Typography.Paragraph>
      )}
      {deciding?.approve && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t("approveWarning")} />}
      <Form form={form} layout="vertical" onFinish={submit} data-testid="sod-decide-form">
        <Form.Item name="note" label={t("decisionNote")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("decisionNote") }) }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="sod-decide-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
