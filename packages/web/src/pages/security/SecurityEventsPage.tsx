import { PlusOutlined, ReloadOutlined, SettingOutlined, ThunderboltOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Form, Input, Modal, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api, type Page, sortParam } from "../../api/client";
import { useApiError } from "../../api/errors";
import { useAuth } from "../../auth/AuthProvider";
import { formatDateTime } from "../../components/format";
import { useDebounced, useIdempotencyKey } from "../../components/hooks";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { useT } from "../../i18n/core";
import { type Assignee, RULES, SEVERITY_COLOR, STATUS_COLOR, type SecurityEvent, type Severity, useAssignees, useEventSummary } from "./api";
import { securityText } from "./i18n";

type StatusFilter = "unresolved" | "open" | "investigating" | "resolved" | "all";

interface ReportValues {
  title: string;
  severity: Severity;
  description?: string;
  occurredAt?: Dayjs;
  assigneeId?: number;
}

function ReportModal({ open, onClose, assignees }: { open: boolean; onClose: () => void; assignees: Assignee[] }) {
  const t = useT(securityText);
  const tc = useT(common);
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<ReportValues>();
  const [busy, setBusy] = useState(false);
  const [idemKey, renewKey] = useIdempotencyKey();
  useEffect(() => {
    if (open) {
      renewKey();
      form.resetFields();
      form.setFieldsValue({ severity: "medium" });
    }
  }, [open, form, renewKey]);
  const submit = async (v: ReportValues) => {
    setBusy(true);
    try {
      const r = await api.post<{ id: number }>(
        "/api/security/events",
        { title: v.title.trim(), severity: v.severity, description: v.description?.trim() || undefined, occurredAt: v.occurredAt?.toISOString(), assigneeId: v.assigneeId },
        { idempotencyKey: idemKey() },
      );
      message.success(tc("created"));
      await qc.invalidateQueries({ queryKey: ["security"] });
      onClose();
      navigate(`/security/events/${r.id}`);
    } catch (e) {
      showError(e, { form });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t("reportTitle")}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={tc("save")}
      cancelText={tc("cancel")}
      confirmLoading={busy}
      okButtonProps={{ "data-testid": "report-submit" }}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t("reportHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} data-testid="report-form">
        <Form.Item name="title" label={t("eventTitle")} rules={[{ required: true, whitespace: true, message: tc("required", { field: t("eventTitle") }) }]}>
          <Input maxLength={200} data-testid="report-title" />
        </Form.Item>
        <Form.Item name="severity" label={t("severity")} rules={[{ required: true }]}>
          <Segmented<Severity> options={(["low", "medium", "high", "critical"] as const).map((s) => ({ value: s, label: t(`severity_${s}`) }))} />
        </Form.Item>
        <Form.Item name="occurredAt" label={t("occurredAt")}>
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} disabledDate={(d) => d.isAfter(new Date())} />
        </Form.Item>
        <Form.Item name="assigneeId" label={t("assignee")}>
          <Select allowClear options={assignees.map((a) => ({ value: a.id, label: `${a.displayName} (${a.username})` }))} />
        </Form.Item>
        <Form.Item name="description" label={t("description")}>
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="report-description" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function SecurityEventsPage() {
  const t = useT(securityText);
  const tc = useT(common);
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [sp, setSp] = useSearchParams();
  const status = (sp.get("status") as StatusFilter | null) ?? "unresolved";
  const severity = sp.get("severity") ?? undefined;
  const rule = sp.get("rule") ?? undefined;
  const [q, setQ] = useState(sp.get("q") ?? "");
  const dq = useDebounced(q.trim());
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [scanning, setScanning] = useState(false);
  const [reporting, setReporting] = useState(false);
  const manage = can("audit.security.manage");
  const summary = useEventSummary(true);
  const assignees = useAssignees(manage);
  const { data, isLoading, isFetching, refetch } = useQuery({
    queryKey: ["security", "events", status, severity, rule, dq, page, pageSize, sort],
    queryFn: () =>
      api.get<Page<SecurityEvent>>("/api/security/events", { status: status === "all" ? undefined : status, severity, rule, q: dq, page, pageSize, sort }),
    placeholderData: keepPreviousData,
  });
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    setSp(next, { replace: true });
    setPage(1);
  };

  const runScan = async () => {
    setScanning(true);
    try {
      const r = await api.post<{ created: number[]; extended: number[]; skipped: { rule: string }[] }>("/api/security/scan", {});
      message.success(t("scanDone", { created: r.created.length, extended: r.extended.length }));
      if (r.skipped.some((s) => s.rule === "off_hours_login")) message.warning(t("scanSkippedCalendar"));
      await qc.invalidateQueries({ queryKey: ["security"] });
    } catch (e) {
      showError(e);
    } finally {
      setScanning(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading} data-testid="security-refresh">
              {tc("refresh")}
            </Button>
            <Button icon={<SettingOutlined />} onClick={() => navigate("/security/settings")} data-testid="security-settings">
              {t("settings")}
            </Button>
            {manage && (
              <>
                <Button icon={<ThunderboltOutlined />} onClick={runScan} loading={scanning} data-testid="security-scan">
                  {t("scan")}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setReporting(true)} data-testid="security-report">
                  {t("report")}
                </Button>
              </>
            )}
          </>
        }
      />
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented<StatusFilter>
            value={status}
            onChange={(v) => set("status", v === "unresolved" ? undefined : v)}
            data-testid="security-status-filter"
            options={(["unresolved", "open", "investigating", "resolved", "all"] as const).map((s) => ({
              value: s,
              label:
                s === "open" && summary.data ? `${t("status_open")} ${summary.data.open}` : s === "investigating" && summary.data ? `${t("status_investigating")} ${summary.data.investigating}` : t(`status_${s}`),
            }))}
          />
          <Select
            allowClear
            placeholder={t("severity")}
            value={severity}
            onChange={(v) => set("severity", v)}
            style={{ width: 120 }}
            options={(["critical", "high", "medium", "low"] as const).map((s) => ({ value: s, label: t(`severity_${s}`) }))}
            data-testid="security-severity-filter"
          />
          <Select
            allowClear
            placeholder={t("rule")}
            value={rule}
            onChange={(v) => set("rule", v)}
            style={{ width: 200 }}
            options={RULES.map((r) => ({ value: r, label: t(`rule_${r}`) }))}
            data-testid="security-rule-filter"
          />
          <Input.Search allowClear placeholder={`${t("subject")} / ${t("ip")}`} value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 240 }} />
          <Typography.Text type="secondary" data-testid="security-last-scan">
            {summary.data?.lastScanAt ? t("lastScan", { time: formatDateTime(summary.data.lastScanAt) }) : t("neverScanned")}
          </Typography.Text>
        </Space>
        <Table<SecurityEvent>
          rowKey="id"
          size="small"
          loading={isLoading || isFetching}
          dataSource={data?.items ?? []}
          data-testid="security-table"
          scroll={{ x: 1100 }}
          locale={{ emptyText: t("empty") }}
          onRow={(r) => ({ onClick: () => navigate(`/security/events/${r.id}`), style: { cursor: "pointer" }, "data-testid": `security-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
          onChange={(p, _f, s) => {
            const sorter = Array.isArray(s) ? s[0] : s;
            setPage(p.current ?? 1);
            setPageSize(p.pageSize ?? 20);
            setSort(sortParam(sorter?.field as string | undefined, sorter?.order));
          }}
          columns={[
            {
              title: t("severity"),
              dataIndex: "severity",
              width: 90,
              sorter: true,
              render: (v: Severity) => <Tag color={SEVERITY_COLOR[v]}>{t(`severity_${v}`)}</Tag>,
            },
            {
              title: t("event"),
              key: "title",
              render: (_, r) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong data-testid={`security-title-${r.id}`}>
                    {r.title}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    #{r.id} · {t(`rule_${r.rule}`)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t("status"),
              dataIndex: "status",
              width: 110,
              render: (v: SecurityEvent["status"], r) => (
                <Tag color={STATUS_COLOR[v]} data-testid={`security-status-${r.id}`} data-status={v}>
                  {t(`status_${v}`)}
                </Tag>
              ),
            },
            { title: t("occurrences"), dataIndex: "occurrences", width: 70, align: "right" },
            { title: t("ip"), dataIndex: "ip", width: 130, render: (v: string | null) => v ?? "—" },
            { title: t("detectedAt"), dataIndex: "detectedAt", width: 160, sorter: true, render: (v: string) => formatDateTime(v) },
            { title: t("lastDetectedAt"), dataIndex: "lastDetectedAt", width: 160, sorter: true, render: (v: string) => formatDateTime(v) },
            { title: t("assignee"), dataIndex: "assigneeName", width: 150, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t("unassigned")}</Typography.Text> },
          ]}
        />
      </Card>
      <ReportModal open={reporting} onClose={() => setReporting(false)} assignees={assignees.data ?? []} />
    </>
  );
}
