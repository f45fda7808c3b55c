import { SyncOutlined, ToolOutlined } from "@ant-design/icons";
import { Alert, Empty, Space, Table, Tag, Tooltip, Typography } from "antd";
import { ApiError } from "../../api/client";
import type { MaintenanceOverview, MaintenanceRun, MaintenanceTable } from "../../api/types";
import { formatCount, formatDateTime } from "../../components/format";
import { common } from "../../i18n/common";
import { defineMessages, useT } from "../../i18n/core";
import { OpsCard } from "./OpsCard";
import { useOpsJob } from "./useOpsJob";

const text = defineMessages({
  "zh-CN": {
    title: "数据库维护",
    byKaiwuEmbedded:
      "内置数据库（PGlite）没有后台自动清理进程。开物按计划检查各表，对修改频繁的表执行清理（VACUUM）和统计信息更新（ANALYZE），保持查询速度并回收空间。",
    byKaiwuServer: "PostgreSQL 服务器已关闭 autovacuum，由开物按计划清理和分析各表。建议在服务器上开启 autovacuum。",
    byServer: "此数据库由 PostgreSQL 服务器的 autovacuum 自动维护，开物无需也不会执行维护。",
    schedule: "计划：{cron}，下次 {next}",
    scheduleDisabled: "计划已停用",
    runNow: "立即维护",
    runNowTitle: "现在维护数据库？",
    runNowText: "将对所有表执行 VACUUM 和 ANALYZE。内置数据库在维护期间（通常不到几秒）会暂停处理其他请求。",
    started: "数据库维护已开始",
    byServerButton: "由服务器自动维护",
    pending: "维护进行中，每 3 秒自动刷新",
    runs: "最近的维护",
    tables: "待维护的表",
    tablesHint: "共 {count} 张表；下列为死行或自上次分析后修改最多的表。",
    noRuns: "还没有维护记录",
    noTables: "所有表都无需维护",
    startedAt: "开始时间",
    status: "状态",
    status_running: "进行中",
    status_succeeded: "完成",
    status_skipped: "已跳过",
    status_failed: "失败",
    trigger: "方式",
    trigger_manual: "手动",
    trigger_scheduled: "定时",
    forced: "全部表",
    duration: "耗时",
    ms: "{ms} 毫秒",
    vacuumed: "已清理",
    analysed: "已分析",
    deadRows: "死行（前 → 后）",
    table: "表",
    liveRows: "行数",
    deadRowsNow: "死行",
    modified: "分析后修改",
    estimate: "计划器估计行数",
    lastVacuum: "上次清理",
    lastAnalyze: "上次分析",
    needs: "需要",
    needsVacuum: "清理",
    needsAnalyze: "分析",
    reason_dead: "死行 {dead} 超过阈值 {threshold}",
    reason_mods: "修改 {mods} 超过阈值 {threshold}",
    reason_inserts: "新插入的行较多",
    reason_never: "从未分析",
    reason_wraparound: "事务号老化（防回卷）",
    never: "从未",
    notCounted: "未统计",
    notAvailable: "此服务器尚未提供数据库维护功能",
    tablesList: "{count} 张表",
  },
  "en-US": {
    title: "Database maintenance",
    byKaiwuEmbedded:
      "The embedded database (PGlite) has no background autovacuum. Kaiwu checks the tables on a schedule and vacuums (VACUUM) and re-analyses (ANALYZE) those changed often, keeping queries fast and space reclaimed.",
    byKaiwuServer: "The PostgreSQL server runs with autovacuum off, so Kaiwu vacuums and analyses the tables on a schedule. Turning autovacuum on in the server is recommended.",
    byServer: "The PostgreSQL server's autovacuum maintains this database; Kaiwu does not need to and does nothing.",
    schedule: "Schedule: {cron}, next {next}",
    scheduleDisabled: "Schedule disabled",
    runNow: "Run maintenance now",
    runNowTitle: "Maintain the database now?",
    runNowText: "Every table is vacuumed and analysed. The embedded database pauses other requests meanwhile (usually a few seconds at most).",
    started: "Database maintenance started",
    byServerButton: "Maintained by the server",
    pending: "Maintenance is running; refreshing every 3 s",
    runs: "Last runs",
    tables: "Tables needing attention",
    tablesHint: "{count} tables; those with the most dead rows or changes since analysed are listed.",
    noRuns: "No maintenance runs yet",
    noTables: "No table needs maintenance",
    startedAt: "Started",
    status: "Status",
    status_running: "Running",
    status_succeeded: "Done",
    status_skipped: "Skipped",
    status_failed: "Failed",
    trigger: "Trigger",
    trigger_manual: "Manual",
    trigger_scheduled: "Scheduled",
    forced: "all tables",
    duration: "Duration",
    ms: "{ms} ms",
    vacuumed: "Vacuumed",
    analysed: "Analysed",
    deadRows: "Dead rows (before → after)",
    table: "Table",
    liveRows: "Rows",
    deadRowsNow: "Dead rows",
    modified: "Changed since analysed",
    estimate: "Planner's row estimate",
    lastVacuum: "Last vacuum",
    lastAnalyze: "Last analyse",
    needs: "Needs",
    needsVacuum: "Vacuum",
    needsAnalyze: "Analyse",
    reason_dead: "{dead} dead rows, over the threshold of {threshold}",
    reason_mods: "{mods} changes, over the threshold of {threshold}",
    reason_inserts: "many rows inserted",
    reason_never: "never analysed",
    reason_wraparound: "old transaction ids (wraparound protection)",
    never: "never",
    notCounted: "not counted yet",
    notAvailable: "This server does not offer database maintenance yet",
    tablesList: "{count} tables",
  },
});

const RUN_COLOR: Record<MaintenanceRun["status"], string> = { running: "processing", succeeded: "success", skipped: "default", failed: "error" };

/** Who vacuums and analyses the database, the last runs, and the tables most in need (Backups page). */
export function MaintenanceCard() {
  const t = useT(text);
  const tc = useT(common);
  const { data, error, isLoading, isFetching, refetch, runNow } = useOpsJob<MaintenanceOverview>("/api/ops/maintenance", {
    title: t("runNowTitle"),
    content: t("runNowText"),
    okText: t("runNow"),
    cancelText: tc("cancel"),
    okTestId: "maintenance-run-confirm",
    started: t("started"),
  });
  const notAvailable = error instanceof ApiError && error.status === 404;
  const byServer = data?.maintainedBy === "server";

  const reasonText = (r: MaintenanceTable) =>
    r.reasons
      .map((x) =>
        x === "dead tuples"
          ? t("reason_dead", { dead: formatCount(r.deadTuples), threshold: formatCount(r.vacuumThreshold) })
          : x === "modifications"
            ? t("reason_mods", { mods: formatCount(r.modsSinceAnalyze), threshold: formatCount(r.analyzeThreshold) })
            : x === "inserts"
              ? t("reason_inserts")
              : x === "never analysed"
                ? t("reason_never")
                : t("reason_wraparound"),
      )
      .join("; ");

  const tableList = (names: string[], testId: string) =>
    names.length === 0 ? (
      <span data-testid={testId}>0</span>
    ) : (
      <Tooltip title={names.join(", ")}>
        <Typography.Text underline style={{ cursor: "help" }} data-testid={testId}>
          {t("tablesList", { count: names.length })}
        </Typography.Text>
      </Tooltip>
    );

  return (
    <OpsCard
      testId="maintenance"
      icon={<ToolOutlined />}
      title={t("title")}
      refresh={{ onClick: () => void refetch(), loading: isFetching && !isLoading, disabled: notAvailable }}
      run={{
        label: t("runNow"),
        onClick: runNow,
        disabled: !data || notAvailable || byServer || data.pending,
        disabledReason: byServer ? t("byServerButton") : undefined,
        permission: "ops.maintenance.run",
      }}
    >
      {notAvailable ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notAvailable")} data-testid="maintenance-unavailable" />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: "100%" }}>
          {data && (
            <Alert
              type={byServer || data.kind === "pglite" ? "info" : "warning"}
              showIcon
              data-testid="maintenance-who"
              data-maintained-by={data.maintainedBy}
              title={byServer ? t("byServer") : data.kind === "pglite" ? t("byKaiwuEmbedded") : t("byKaiwuServer")}
              description={
                !byServer && data.schedule ? (
                  <span data-testid="maintenance-schedule">
                    {data.schedule.enabled ? t("schedule", { cron: data.schedule.cron, next: formatDateTime(data.schedule.nextRunAt) }) : t("scheduleDisabled")}
                  </span>
                ) : undefined
              }
            />
          )}
          {data?.pending && (
            <Typography.Text type="secondary" data-testid="maintenance-pending">
              <SyncOutlined spin /> {t("pending")}
            </Typography.Text>
          )}
          <div>
            <Typography.Title level={5}>{t("runs")}</Typography.Title>
            <Table<MaintenanceRun>
              rowKey="id"
              size="small"
              loading={isLoading}
              dataSource={data?.runs ?? []}
              pagination={false}
              data-testid="maintenance-runs"
              scroll={{ x: "max-content" }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noRuns")} /> }}
              columns={[
                { title: t("startedAt"), dataIndex: "startedAt", width: 160, render: (v: string) => formatDateTime(v) },
                {
                  title: t("status"),
                  dataIndex: "status",
                  width: 90,
                  render: (v: MaintenanceRun["status"], r) => {
                    const tag = (
                      <Tag color={RUN_COLOR[v] ?? "default"} icon={v === "running" ? <SyncOutlined spin /> : undefined} data-testid={`maintenance-run-status-${r.id}`}>
                        {t(`status_${v}`)}
                      </Tag>
                    );
                    return r.error ? <Tooltip title={r.error}>{tag}</Tooltip> : tag;
                  },
                },
                {
                  title: t("trigger"),
                  dataIndex: "trigger",
                  width: 120,
                  render: (v: MaintenanceRun["trigger"], r) => (
                    <>
                      {t(`trigger_${v}`)}
                      {r.forced && <Typography.Text type="secondary">{` (${t("forced")})`}</Typography.Text>}
                    </>
                  ),
                },
                { title: t("duration"), dataIndex: "durationMs", width: 90, align: "right", render: (v: number | null) => (v === null ? "—" : t("ms", { ms: formatCount(v) })) },
                { title: t("vacuumed"), key: "vacuumed", width: 90, render: (_, r) => tableList(r.vacuumed ?? [], `maintenance-run-vacuumed-${r.id}`) },
                { title: t("analysed"), key: "analysed", width: 90, render: (_, r) => tableList(r.analysed ?? [], `maintenance-run-analysed-${r.id}`) },
                {
                  title: t("deadRows"),
                  key: "dead",
                  width: 150,
                  align: "right",
                  render: (_, r) => (r.deadTuplesBefore === null ? "—" : `${formatCount(r.deadTuplesBefore)} → ${formatCount(r.deadTuplesAfter)}`),
                },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>{t("tables")}</Typography.Title>
            {data && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                {t("tablesHint", { count: data.tableCount })}
              </Typography.Paragraph>
            )}
            <Table<MaintenanceTable>
              rowKey="name"
              size="small"
              loading={isLoading}
              dataSource={data?.tables ?? []}
              pagination={false}
              data-testid="maintenance-tables"
              scroll={{ x: "max-content" }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noTables")} /> }}
              columns={[
                {
                  title: t("table"),
                  dataIndex: "name",
                  width: 200,
                  render: (v: string) => (
                    <Typography.Text style={{ fontFamily: "monospace", fontSize: 12 }} data-testid={`maintenance-table-${v}`}>
                      {v}
                    </Typography.Text>
                  ),
                },
                { title: t("liveRows"), dataIndex: "liveTuples", width: 90, align: "right", render: (v: number) => formatCount(v) },
                { title: t("deadRowsNow"), dataIndex: "deadTuples", width: 90, align: "right", render: (v: number) => formatCount(v) },
                { title: t("modified"), dataIndex: "modsSinceAnalyze", width: 110, align: "right", render: (v: number) => formatCount(v) },
                {
                  title: t("estimate"),
                  dataIndex: "reltuples",
                  width: 120,
                  align: "right",
                  responsive: ["xl"],
                  render: (v: number) => (v < 0 ? t("notCounted") : formatCount(Math.round(v))),
                },
                { title: t("lastVacuum"), dataIndex: "lastVacuum", width: 160, responsive: ["xl"], render: (v: string | null) => (v ? formatDateTime(v) : t("never")) },
                { title: t("lastAnalyze"), dataIndex: "lastAnalyze", width: 160, responsive: ["xl"], render: (v: string | null) => (v ? formatDateTime(v) : t("never")) },
                {
                  title: t("needs"),
                  key: "needs",
                  width: 130,
                  render: (_, r) =>
                    r.needsVacuum || r.needsAnalyze ? (
                      <Tooltip title={reasonText(r)}>
                        <Space size={4} data-testid={`maintenance-needs-${r.name}`}>
                          {r.needsVacuum && <Tag color="warning">{t("needsVacuum")}</Tag>}
                          {r.needsAnalyze && <Tag color="processing">{t("needsAnalyze")}</Tag>}
                        </Space>
                      </Tooltip>
                    ) : (
                      "—"
                    ),
                },
              ]}
            />
          </div>
        </Space>
      )}
    </OpsCard>
  );
}
