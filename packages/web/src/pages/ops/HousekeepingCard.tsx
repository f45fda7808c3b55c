import { ClearOutlined, SyncOutlined } from "@ant-design/icons";
import { Empty, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { HousekeepingOverview } from "../../api/types";
import { formatCount, formatDateTime } from "../../components/format";
import { common } from "../../i18n/common";
import { defineMessages, useT } from "../../i18n/core";
import { OpsCard } from "./OpsCard";
import { useOpsJob } from "./useOpsJob";

const text = defineMessages({
  "zh-CN": {
    title: "数据保留与清理",
    intro: "系统运行中产生的工作数据（已完成的后台任务、已投递的事件、请求幂等键、已结束的登录会话）超过保留期后每天自动删除。业务单据、库存流水和审计日志不在此列，永不自动删除。",
    schedule: "计划：{cron}，下次 {next}",
    scheduleDisabled: "计划已停用",
    runNow: "立即清理",
    runNowTitle: "现在清理过期的工作数据？",
    runNowText: "将删除超过保留期的后台任务记录、已投递事件、幂等键和已结束会话。业务数据与审计日志不受影响。",
    started: "数据清理已开始",
    pending: "清理进行中，每 3 秒自动刷新",
    kind: "数据",
    keptFor: "保留",
    rows: "当前行数",
    expired: "已过期（下次删除）",
    days: "{n} 天",
    doneFailed: "完成 {done} 天 / 失败 {failed} 天",
    table_job: "后台任务记录",
    table_outbox_event: "已投递的事件",
    table_idempotency_key: "请求幂等键（重试保护）",
    table_user_session: "已结束的登录会话",
    runs: "最近的清理",
    noRuns: "还没有清理记录",
    startedAt: "开始时间",
    status: "状态",
    status_queued: "排队中",
    status_running: "进行中",
    status_done: "完成",
    status_failed: "失败",
    trigger: "方式",
    trigger_manual: "手动",
    trigger_scheduled: "定时",
    removed: "删除",
    removedText: "任务 {jobs}，事件 {events}，幂等键 {keys}，会话 {sessions}",
  },
  "en-US": {
    title: "Data retention and housekeeping",
    intro:
      "Working data the system produces as it runs (finished background jobs, delivered events, request idempotency keys, ended sign-in sessions) is deleted daily once past its retention. Business documents, the stock ledger and the audit log are not part of it and are never deleted automatically.",
    schedule: "Schedule: {cron}, next {next}",
    scheduleDisabled: "Schedule disabled",
    runNow: "Clean up now",
    runNowTitle: "Remove expired working data now?",
    runNowText: "Job records, delivered events, idempotency keys and ended sessions past their retention are deleted. Business data and the audit log are not touched.",
    started: "Housekeeping started",
    pending: "Housekeeping is running; refreshing every 3 s",
    kind: "Data",
    keptFor: "Kept for",
    rows: "Rows now",
    expired: "Expired (removed next)",
    days: "{n} days",
    doneFailed: "done {done} days / failed {failed} days",
    table_job: "Background job records",
    table_outbox_event: "Delivered events",
    table_idempotency_key: "Request idempotency keys (retry protection)",
    table_user_session: "Ended sign-in sessions",
    runs: "Last runs",
    noRuns: "No housekeeping runs yet",
    startedAt: "Started",
    status: "Status",
    status_queued: "Queued",
    status_running: "Running",
    status_done: "Done",
    status_failed: "Failed",
    trigger: "Trigger",
    trigger_manual: "Manual",
    trigger_scheduled: "Scheduled",
    removed: "Removed",
    removedText: "jobs {jobs}, events {events}, keys {keys}, sessions {sessions}",
  },
});

type Run = HousekeepingOverview["runs"][number];
type TableRow = HousekeepingOverview["tables"][number];
const RUN_COLOR: Record<Run["status"], string> = { queued: "default", running: "processing", done: "success", failed: "error" };

/** What the daily housekeeping keeps and for how long, what is past it now, and the last runs (Backups page). */
export function HousekeepingCard() {
  const t = useT(text);
  const tc = useT(common);
  const { data, isLoading, isFetching, refetch, runNow } = useOpsJob<HousekeepingOverview>("/api/ops/housekeeping", {
    title: t("runNowTitle"),
    content: t("runNowText"),
    okText: t("runNow"),
    cancelText: tc("cancel"),
    okTestId: "housekeeping-run-confirm",
    started: t("started"),
  });

  const keep = data?.retention;
  const keptFor = (table: TableRow["table"]) =>
    !keep
      ? "—"
      : table === "job"
        ? t("doneFailed", { done: keep.jobsDays, failed: keep.failedJobsDays })
        : t("days", { n: table === "outbox_event" ? keep.eventsDays : table === "idempotency_key" ? keep.idempotencyDays : keep.sessionsDays });

  return (
    <OpsCard
      testId="housekeeping"
      icon={<ClearOutlined />}
      title={t("title")}
      refresh={{ onClick: () => void refetch(), loading: isFetching && !isLoading }}
      run={{ label: t("runNow"), onClick: runNow, disabled: !data || data.pending, permission: "ops.maintenance.run" }}
    >
      <Space orientation="vertical" size={12} style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t("intro")}
        </Typography.Paragraph>
        {data && (
          <Typography.Text data-testid="housekeeping-schedule">
            {data.schedule?.enabled ? t("schedule", { cron: data.schedule.cron, next: formatDateTime(data.schedule.nextRunAt) }) : t("scheduleDisabled")}
          </Typography.Text>
        )}
        {data?.pending && (
          <Typography.Text type="secondary" data-testid="housekeeping-pending">
            <SyncOutlined spin /> {t("pending")}
          </Typography.Text>
        )}
        <Table<TableRow>
          rowKey="table"
          size="small"
          loading={isLoading}
          dataSource={data?.tables ?? []}
          pagination={false}
          data-testid="housekeeping-tables"
          columns={[
            { title: t("kind"), dataIndex: "table", render: (v: TableRow["table"]) => t(`table_${v}`) },
            { title: t("keptFor"), key: "keep", render: (_, r) => keptFor(r.table) },
            { title: t("rows"), dataIndex: "rows", align: "right", render: (v: number | string) => formatCount(Number(v)) },
            {
              title: t("expired"),
              dataIndex: "expired",
              align: "right",
              render: (v: number | string, r) => <span data-testid={`housekeeping-expired-${r.table}`}>{formatCount(Number(v))}</span>,
            },
          ]}
        />
        <div>
          <Typography.Title level={5}>{t("runs")}</Typography.Title>
          <Table<Run>
            rowKey="jobId"
            size="small"
            loading={isLoading}
            dataSource={data?.runs ?? []}
            pagination={false}
            data-testid="housekeeping-runs"
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noRuns")} /> }}
            columns={[
              { title: t("startedAt"), dataIndex: "startedAt", width: 160, render: (v: string) => formatDateTime(v) },
              {
                title: t("status"),
                dataIndex: "status",
                width: 90,
                render: (v: Run["status"], r) => {
                  const tag = (
                    <Tag color={RUN_COLOR[v]} icon={v === "running" ? <SyncOutlined spin /> : undefined} data-testid={`housekeeping-run-status-${r.jobId}`}>
                      {t(`status_${v}`)}
                    </Tag>
                  );
                  return r.error ? <Tooltip title={r.error}>{tag}</Tooltip> : tag;
                },
              },
              { title: t("trigger"), dataIndex: "trigger", width: 90, render: (v: Run["trigger"]) => t(`trigger_${v}`) },
              {
                title: t("removed"),
                key: "removed",
                render: (_, r) =>
                  r.removed
                    ? t("removedText", {
                        jobs: formatCount(r.removed.jobs),
                        events: formatCount(r.removed.events),
                        keys: formatCount(r.removed.idempotencyKeys),
                        sessions: formatCount(r.removed.sessions),
                      })
                    : "—",
              },
            ]}
          />
        </div>
      </Space>
    </OpsCard>
  );
}
