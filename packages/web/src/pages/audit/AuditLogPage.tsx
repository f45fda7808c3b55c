import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, HistoryOutlined, ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Col, DatePicker, Form, Input, Modal, Result, Row, Select, Space, Table, Tag, Tooltip, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useUserOptions } from "../../api/queries";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useLang, useT } from "../../i18n/core";
import { type ActionOption, type AuditFilter, type AuditPage, type AuditRow, type Verification, type VerifyResult, filterQuery } from "./api";
import { auditText } from "./i18n";
import { ActorCell, OutcomeTag } from "./parts";
import { RecordDrawer } from "./RecordDrawer";

const FILTER_KEYS = ["from", "to", "userId", "actorType", "tokenId", "action", "entity", "entityId", "ip", "outcome", "q"] as const;

function readFilter(sp: URLSearchParams): AuditFilter {
  const f: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) {
    const v = sp.get(k);
    if (v) f[k] = k === "userId" || k === "tokenId" ? Number(v) : v;
  }
  return f as AuditFilter;
}

interface FormValues {
  period?: [Dayjs | null, Dayjs | null] | null;
  userId?: number;
  actorType?: AuditFilter["actorType"];
  action?: string;
  entity?: string;
  entityId?: string;
  ip?: string;
  outcome?: AuditFilter["outcome"];
  q?: string;
}

function VerifyOutcome({ result, onOpen, onClose }: { result: VerifyResult | null; onOpen: (id: number) => void; onClose: () => void }) {
  const t = useT(auditText);
  const tc = useT(common);
  if (!result) return null;
  const anchorBad = result.anchor.status !== "none" && result.anchor.status !== "ok";
  return (
    <Modal open onCancel={onClose} footer={<Button onClick={onClose}>{tc("close")}</Button>} width={620}>
      <div data-testid="verify-result" data-ok={String(result.ok)}>
        {result.ok ? (
          <Result
            status="success"
            title={t("verifyOkTitle")}
            subTitle={
              <>
                <div>{t("verifyOkText", { checked: result.checked.toLocaleString(), seconds: (result.durationMs / 1000).toFixed(1) })}</div>
                {result.anchorUpdated && result.head && <div>{t("anchorMoved", { id: result.head.id })}</div>}
              </>
            }
          />
        ) : (
          <Result
            status="error"
            title={t("verifyBadTitle")}
            subTitle={
              <Space orientation="vertical" size={4}>
                {result.firstBad && (
                  <span data-testid="verify-first-bad">
                    {t("verifyBadRecord", { id: result.firstBad.id, problem: t(`problem_${result.firstBad.problem}`), checked: result.checked.toLocaleString() })}
                  </span>
                )}
                {anchorBad && (
                  <span data-testid="verify-anchor">
                    {t("verifyBadAnchor", { anchorId: result.anchor.id ?? "?", status: t(`anchorStatus_${result.anchor.status as "truncated" | "missing" | "mismatch"}`), lastId: result.lastId ?? "—" })}
                  </span>
                )}
                <Typography.Text type="danger">{t("alertRaised")}</Typography.Text>
              </Space>
            }
            extra={
              result.firstBad && (
                <Button type="primary" onClick={() => onOpen(result.firstBad!.id)} data-testid="verify-open-record">
                  {t("openRecord")}
                </Button>
              )
            }
          />
        )}
      </div>
    </Modal>
  );
}

function VerificationsModal({ open, onClose, onOpen }: { open: boolean; onClose: () => void; onOpen: (id: number) => void }) {
  const t = useT(auditText);
  const tc = useT(common);
  const [page, setPage] = useState(1);
  const { data, isLoading } = useQuery({
    queryKey: ["audit", "verifications", page],
    queryFn: () => api.get<Page<Verification>>("/api/audit/verifications", { page, pageSize: 10 }),
    enabled: open,
  });
  return (
    <Modal open={open} onCancel={onClose} title={t("history")} width={900} footer={<Button onClick={onClose}>{tc("close")}</Button>}>
      <Table<Verification>
        size="small"
        rowKey="id"
        loading={isLoading}
        dataSource={data?.items ?? []}
        data-testid="verifications-table"
        pagination={{ current: page, pageSize: 10, total: data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t("time"), dataIndex: "startedAt", width: 160, render: (v: string) => formatDateTime(v) },
          { title: t("trigger"), dataIndex: "trigger", width: 90, render: (v: Verification["trigger"]) => t(`trigger_${v}`) },
          { title: t("actor"), dataIndex: "requestedByName", ellipsis: true },
          { title: t("checked"), dataIndex: "checked", width: 100, align: "right", render: (v: number) => v.toLocaleString() },
          {
            title: t("result"),
            key: "ok",
            width: 170,
            render: (_, v) =>
              v.ok ? (
                <Tag color="success">{t("intact")}</Tag>
              ) : (
                <Space size={4}>
                  <Tag color="error">{t("broken")}</Tag>
                  {v.firstBadId && (
                    <Button size="small" type="link" onClick={() => onOpen(v.firstBadId!)}>
                      #{v.firstBadId}
                    </Button>
                  )}
                </Space>
              ),
          },
          {
            title: t("anchor"),
            key: "anchor",
            width: 150,
            render: (_, v) =>
              v.anchorStatus === "ok" ? t("anchorOk") : v.anchorStatus === "none" ? t("anchorNone") : <Tag color="error">{t(`anchorStatus_${v.anchorStatus}`)}</Tag>,
          },
          { title: t("duration"), dataIndex: "durationMs", width: 90, align: "right", render: (v: number) => `${(v / 1000).toFixed(1)} s` },
        ]}
      />
    </Modal>
  );
}

export default function AuditLogPage() {
  const t = useT(auditText);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const filter = useMemo(() => readFilter(sp), [sp]);
  const page = Number(sp.get("page") ?? 1) || 1;
  const pageSize = Number(sp.get("pageSize") ?? 50) || 50;
  const sort = sp.get("sort") ?? "-id";
  const openId = sp.get("record") ? Number(sp.get("record")) : null;
  const [form] = Form.useForm<FormValues>();
  const [verifying, setVerifying] = useState(false);
  const [verifyResult, setVerifyResult] = useState<VerifyResult | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const users = useUserOptions(can("identity.user.read"));
  const actions = useQuery({ queryKey: ["audit", "actions", lang], queryFn: () => api.get<ActionOption[]>("/api/audit/actions"), staleTime: 60_000 });
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["audit", "log", filter, page, pageSize, sort],
    queryFn: () => api.get<AuditPage>("/api/audit/log", { ...filterQuery(filter), page, pageSize, sort }),
    placeholderData: keepPreviousData,
  });
  const last = useQuery({
    queryKey: ["audit", "verifications", "last"],
    queryFn: () => api.get<Page<Verification>>("/api/audit/verifications", { pageSize: 1 }),
  });

  useEffect(() => {
    form.setFieldsValue({
      period: filter.from || filter.to ? [filter.from ? dayjs(filter.from) : null, filter.to ? dayjs(filter.to) : null] : null,
      userId: filter.userId,
      actorType: filter.actorType,
      action: filter.action,
      entity: filter.entity,
      entityId: filter.entityId,
      ip: filter.ip,
      outcome: filter.outcome,
      q: filter.q,
    });
  }, [filter, form]);

  const update = (changes: Record<string, string | number | null | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === "") next.delete(k);
      else next.set(k, String(v));
    }
    setSp(next, { replace: false });
  };
  const apply = (v: FormValues) => {
    const [from, to] = v.period ?? [null, null];
    update({
      from: from ? from.toISOString() : null,
      to: to ? to.toISOString() : null,
      userId: v.userId ?? null,
      actorType: v.actorType ?? null,
      action: v.action ?? null,
      entity: v.entity?.trim() || null,
      entityId: v.entityId?.trim() || null,
      ip: v.ip?.trim() || null,
      outcome: v.outcome ?? null,
      q: v.q?.trim() || null,
      page: null,
    });
  };
  const resetFilters = () => {
    form.resetFields();
    setSp(new URLSearchParams());
  };
  const openRecord = (id: number | null) => update({ record: id });

  const exportCsv = () =>
    modal.confirm({
      title: t("exportTitle"),
      content: t("exportText", { total: data?.totalCapped ? `>${data.total.toLocaleString()}` : (data?.total ?? 0).toLocaleString() }),
      okText: t("export"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "audit-export-confirm" },
      onOk: async () => {
        const qs = new URLSearchParams(filterQuery(filter)).toString();
        // A plain navigation downloads the file with the session cookie; problems come back as JSON first.
        const url = `/api/audit/export${qs ? `?${qs}` : ""}`;
        const head = await fetch(url, { method: "GET", credentials: "same-origin", headers: { "Accept-Language": lang } });
        if (!head.ok) {
          const p = await head.json().catch(() => ({ detail: head.statusText }));
          message.error(p.detail ?? head.statusText);
          return;
        }
        const blob = await head.blob();
        const name = /filename="([^"]+)"/.exec(head.headers.get("content-disposition") ?? "")?.[1] ?? "audit-log.csv";
        const a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = name;
        a.click();
        URL.revokeObjectURL(a.href);
        message.success(t("exportStarted"));
      },
    });

  const verify = () =>
    modal.confirm({
      title: t("verifyTitle"),
      content: t("verifyText"),
      okText: t("verify"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "audit-verify-confirm" },
      onOk: async () => {
        setVerifying(true);
        try {
          const r = await api.post<VerifyResult>("/api/audit/verify", {});
          setVerifyResult(r);
          await qc.invalidateQueries({ queryKey: ["audit", "verifications"] });
          await qc.invalidateQueries({ queryKey: ["system", "alerts"] });
        } catch (e) {
          showError(e);
        } finally {
          setVerifying(false);
        }
      },
    });

  const lastRun = last.data?.items[0];
  const actionOptions = (actions.data ?? []).map((a) => ({ value: a.action, label: `${a.label} · ${a.action}` }));
  const userOptions = (users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  const typeOptions = (["user", "token", "system", "anonymous"] as const).map((v) => ({ value: v, label: t(`actorType_${v}`) }));
  const outcomeOptions = (["success", "failed", "denied"] as const).map((v) => ({ value: v, label: t(`outcome_${v}`) }));

  return (
    <>
      <PageHeader
        title={t("title")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading} data-testid="audit-refresh">
              {tc("refresh")}
            </Button>
            {can("audit.log.export") && (
              <Button icon={<DownloadOutlined />} onClick={exportCsv} data-testid="audit-export">
                {t("export")}
              </Button>
            )}
            {can("audit.log.verify") && (
              <Button type="primary" icon={<SafetyCertificateOutlined />} onClick={verify} loading={verifying} data-testid="audit-verify">
                {t("verify")}
              </Button>
            )}
          </>
        }
      />
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 12 }} data-testid="audit-integrity">
        <Space wrap>
          <Typography.Text strong>{t("lastVerification")}:</Typography.Text>
          {lastRun ? (
            <>
              {lastRun.ok ? <CheckCircleFilled style={{ color: "#52c41a" }} /> : <CloseCircleFilled style={{ color: "#ff4d4f" }} />}
              <Tag color={lastRun.ok ? "success" : "error"} data-testid="audit-last-verification" data-ok={String(lastRun.ok)}>
                {lastRun.ok ? t("intact") : t("broken")}
              </Tag>
              <Typography.Text type="secondary">
                {t("verifiedBy", { time: formatDateTime(lastRun.startedAt), by: lastRun.requestedByName, checked: lastRun.checked.toLocaleString() })}
              </Typography.Text>
            </>
          ) : (
            <Typography.Text type="secondary">{t("neverVerified")}</Typography.Text>
          )}
          <Button size="small" icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)} data-testid="audit-history">
            {t("history")}
          </Button>
        </Space>
      </Card>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form form={form} layout="vertical" onFinish={apply} data-testid="audit-filter">
          <Row gutter={12}>
            <Col xs={24} md={12} xl={8}>
              <Form.Item name="period" label={t("period")}>
                <DatePicker.RangePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} style={{ width: "100%" }} data-testid="audit-period" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={5}>
              <Form.Item name="action" label={t("action")}>
                <Select allowClear showSearch={{ optionFilterProp: "label" }} options={actionOptions} loading={actions.isLoading} data-testid="audit-action" popupMatchSelectWidth={false} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="outcome" label={t("outcome")}>
                <Select allowClear options={outcomeOptions} data-testid="audit-outcome-filter" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="userId" label={t("user")}>
                <Select allowClear showSearch={{ optionFilterProp: "label" }} options={userOptions} disabled={!can("identity.user.read")} data-testid="audit-user" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="actorType" label={t("actorType")}>
                <Select allowClear options={typeOptions} data-testid="audit-actor-type" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="entity" label={t("entity")}>
                <Input allowClear placeholder="department" data-testid="audit-entity" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Form.Item name="entityId" label={t("entityId")}>
                <Input allowClear data-testid="audit-entity-id" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6} xl={4}>
              <Form.Item name="ip" label={t("ip")} rules={[{ pattern: /^[0-9A-Fa-f.:]+$/, message: t("ipPlaceholder") }]}>
                <Input allowClear placeholder={t("ipPlaceholder")} data-testid="audit-ip" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="q" label={t("keyword")}>
                <Input allowClear data-testid="audit-q" />
              </Form.Item>
            </Col>
            <Col xs={24} xl={7} style={{ display: "flex", alignItems: "flex-end" }}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
                    {t("search")}
                  </Button>
                  <Button onClick={resetFilters} data-testid="audit-reset">
                    {t("reset")}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card size="small">
        <Table<AuditRow>
          rowKey="id"
          size="small"
          loading={isLoading || isFetching}
          dataSource={data?.items ?? []}
          data-testid="audit-table"
          scroll={{ x: 1100 }}
          locale={{ emptyText: t("empty") }}
          onRow={(r) => ({ onClick: () => openRecord(r.id), style: { cursor: "pointer" }, "data-testid": `audit-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => (data?.totalCapped ? t("totalCapped", { total: total.toLocaleString() }) : tc("total", { total })),
          }}
          onChange={(p, _f, s) => {
            const sorter = Array.isArray(s) ? s[0] : s;
            const field = sorter?.order ? (sorter.field as string) : undefined;
            update({
              page: p.current ?? 1,
              pageSize: p.pageSize ?? 50,
              sort: field ? `${sorter.order === "descend" ? "-" : ""}${field === "occurredAt" ? "occurredAt" : "id"}` : null,
            });
          }}
          columns={[
            { title: "#", dataIndex: "id", width: 80, sorter: true, sortOrder: sort === "id" ? "ascend" : sort === "-id" ? "descend" : null },
            {
              title: t("time"),
              dataIndex: "occurredAt",
              width: 160,
              sorter: true,
              sortOrder: sort === "occurredAt" ? "ascend" : sort === "-occurredAt" ? "descend" : null,
              render: (v: string) => formatDateTime(v),
            },
            { title: t("actor"), key: "actor", width: 200, render: (_, r) => <ActorCell row={r} /> },
            { title: t("ip"), dataIndex: "ip", width: 130, render: (v: string | null) => v ?? "—" },
            {
              title: t("action"),
              key: "action",
              render: (_, r) => (
                <Tooltip title={r.action}>
                  <span data-testid="audit-action-label">{r.actionLabel}</span>
                </Tooltip>
              ),
            },
            {
              title: t("entity"),
              key: "entity",
              width: 170,
              render: (_, r) => (r.entity ? <Typography.Text type="secondary">{`${r.entity}${r.entityId ? ` #${r.entityId}` : ""}`}</Typography.Text> : "—"),
            },
            { title: t("outcome"), key: "outcome", width: 170, render: (_, r) => <OutcomeTag outcome={r.outcome} errorCode={r.errorCode} /> },
          ]}
        />
      </Card>
      <RecordDrawer id={openId} onClose={() => openRecord(null)} onNavigate={(id) => openRecord(id)} />
      <VerifyOutcome
        result={verifyResult}
        onClose={() => setVerifyResult(null)}
        onOpen={(id) => {
          setVerifyResult(null);
          openRecord(id);
        }}
      />
      <VerificationsModal
        open={historyOpen}
        onClose={() => setHistoryOpen(false)}
        onOpen={(id) => {
          setHistoryOpen(false);
          openRecord(id);
        }}
      />
    </>
  );
}

