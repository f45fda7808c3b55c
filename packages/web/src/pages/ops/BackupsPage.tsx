import { CheckCircleOutlined, CloudUploadOutlined, ReloadOutlined, SafetyOutlined, SyncOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Space, Table, Tag, Tooltip, Typography } from "antd";
import { useState } from "react";
import { ApiError, api, type Page } from "../../api/client";
import { useApiError } from "../../api/errors";
import type { Backup } from "../../api/types";
import { useAuth } from "../../auth/AuthProvider";
import { formatBytes, formatCount, formatDateTime, formatDuration } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { common } from "../../i18n/common";
import { defineMessages, useLang, useT } from "../../i18n/core";
import { HousekeepingCard } from "./HousekeepingCard";
import { MaintenanceCard } from "./MaintenanceCard";

const text = defineMessages({
  "zh-CN": {
    title: "备份",
    intro: "备份包含全部业务数据与审计日志。建议定期将备份文件复制到另一台设备或异地保存，并定期校验。",
    backupNow: "立即备份",
    backupNowTitle: "现在开始一次备份？",
    backupNowText: "备份在后台进行，期间系统可以正常使用；数据量大时可能需要几分钟。",
    started: "备份已开始",
    startedAt: "开始时间",
    finishedAt: "完成时间",
    duration: "耗时",
    status: "状态",
    status_running: "进行中",
    status_succeeded: "成功",
    status_failed: "失败",
    status_deleted: "已删除",
    trigger: "方式",
    trigger_manual: "手动",
    trigger_scheduled: "定时",
    trigger_cli: "命令行",
    fileName: "文件",
    size: "大小",
    tables: "表数",
    rows: "行数",
    checksum: "SHA-256 校验值",
    verification: "校验",
    verify_ok: "校验通过",
    verify_damaged: "文件损坏",
    verify_missing: "文件缺失",
    verify_none: "未校验",
    verify: "校验",
    verifyTitle: "校验备份“{file}”？",
    verifyText: "将重新读取备份文件并核对校验值和内容，不会修改任何数据。",
    verified: "已开始校验，完成后结果会显示在列表中",
    verifiedAt: "校验于 {time}",
    notAvailable: "此服务器尚未提供备份功能",
    notAvailableText: "备份接口还未启用（服务器版本较旧或模块未安装）。升级后此页面将自动显示备份记录。",
    empty: "还没有备份",
    autoRefresh: "备份进行中，每 3 秒自动刷新",
    copyChecksum: "点击复制完整校验值",
  },
  "en-US": {
    title: "Backups",
    intro: "A backup holds all business data and the audit log. Copy backup files to another machine or site regularly, and verify them.",
    backupNow: "Back up now",
    backupNowTitle: "Start a backup now?",
    backupNowText: "The backup runs in the background and the system stays usable; with much data it can take a few minutes.",
    started: "Backup started",
    startedAt: "Started",
    finishedAt: "Finished",
    duration: "Duration",
    status: "Status",
    status_running: "Running",
    status_succeeded: "Succeeded",
    status_failed: "Failed",
    status_deleted: "Deleted",
    trigger: "Trigger",
    trigger_manual: "Manual",
    trigger_scheduled: "Scheduled",
    trigger_cli: "Command line",
    fileName: "File",
    size: "Size",
    tables: "Tables",
    rows: "Rows",
    checksum: "SHA-256 checksum",
    verification: "Verification",
    verify_ok: "Verified",
    verify_damaged: "Damaged",
    verify_missing: "File missing",
    verify_none: "Not verified",
    verify: "Verify",
    verifyTitle: "Verify the backup “{file}”?",
    verifyText: "The backup file is read again and its checksum and contents are checked. No data is changed.",
    verified: "Verification started; the result appears in the list when it is done",
    verifiedAt: "verified {time}",
    notAvailable: "This server does not offer backups yet",
    notAvailableText: "The backup API is not enabled (older server or module not installed). This page shows the backups once it is.",
    empty: "No backups yet",
    autoRefresh: "A backup is running; refreshing every 3 s",
    copyChecksum: "Click to copy the full checksum",
  },
});

const STATUS_COLOR: Record<Backup["status"], string> = { running: "processing", succeeded: "success", failed: "error", deleted: "default" };
/** Background work was asked for: keep polling this long even before a running row shows up. */
const PENDING_MS = 60_000;

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

export default function BackupsPage() {
  const t = useT(text);
  const tc = useT(common);
  const { lang } = useLang();
  const { can } = useAuth();
  const { modal, message } = App.useApp();
  const showError = useApiError();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [pendingSince, setPendingSince] = useState(0);

  const { data, error, isLoading, isFetching, isPlaceholderData, refetch } = useQuery({
    queryKey: ["ops", "backups", { page, pageSize }],
    queryFn: () => api.get<Page<Backup>>("/api/ops/backups", { page, pageSize }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => {
      const running = q.state.data?.items.some((b) => b.status === "running");
      return running || Date.now() - pendingSince < PENDING_MS ? 3000 : false;
    },
  });
  const notAvailable = error instanceof ApiError && error.status === 404;
  const running = data?.items.some((b) => b.status === "running") ?? false;

  const backupNow = () =>
    modal.confirm({
      title: t("backupNowTitle"),
      content: t("backupNowText"),
      okText: t("backupNow"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "backup-now-confirm" },
      onOk: async () => {
        try {
          await api.post<{ backupId?: number | string; jobId?: number | string }>("/api/ops/backups", {});
          setPendingSince(Date.now());
          message.success(t("started"));
          setPage(1);
          await qc.invalidateQueries({ queryKey: ["ops", "backups"] });
        } catch (e) {
          showError(e);
        }
      },
    });

  const verify = (b: Backup) =>
    modal.confirm({
      title: t("verifyTitle", { file: b.fileName ? baseName(b.fileName) : String(b.id) }),
      content: t("verifyText"),
      okText: t("verify"),
      cancelText: tc("cancel"),
      okButtonProps: { "data-testid": "backup-verify-confirm" },
      onOk: async () => {
        try {
          await api.post(`/api/ops/backups/${b.id}/verify`, {});
          setPendingSince(Date.now());
          message.success(t("verified"));
          await qc.invalidateQueries({ queryKey: ["ops", "backups"] });
        } catch (e) {
          showError(e);
        }
      },
    });

  return (
    <>
      <PageHeader
        title={t("title")}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={() => refetch()} loading={isFetching && !isLoading} disabled={notAvailable} data-testid="backup-refresh">
              {tc("refresh")}
            </Button>
            {can("ops.backup.run") && (
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={backupNow} disabled={notAvailable || running} data-testid="backup-now">
                {t("backupNow")}
              </Button>
            )}
          </>
        }
      />
      <Typography.Paragraph type="secondary">{t("intro")}</Typography.Paragraph>
      <Card size="small">
        {notAvailable ? (
          <Empty description={<Space orientation="vertical" size={2}><Typography.Text strong>{t("notAvailable")}</Typography.Text><Typography.Text type="secondary">{t("notAvailableText")}</Typography.Text></Space>} data-testid="backups-unavailable" />
        ) : (
          <>
            {running && (
              <Typography.Paragraph type="secondary" data-testid="backups-autorefresh">
                <SyncOutlined spin /> {t("autoRefresh")}
              </Typography.Paragraph>
            )}
            <Table<Backup>
              rowKey="id"
              size="small"
              loading={isLoading || isPlaceholderData}
              dataSource={data?.items ?? []}
              data-testid="backups-table"
              scroll={{ x: "max-content" }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("empty")} /> }}
              pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, showTotal: (total) => tc("total", { total }) }}
              onChange={(p) => {
                setPage(p.current ?? 1);
                setPageSize(p.pageSize ?? 20);
              }}
              columns={[
                { title: t("startedAt"), dataIndex: "startedAt", width: 160, render: (v: string) => formatDateTime(v) },
                {
                  title: t("status"),
                  dataIndex: "status",
                  width: 100,
                  render: (v: Backup["status"], r) => {
                    const tag = (
                      <Tag color={STATUS_COLOR[v] ?? "default"} icon={v === "running" ? <SyncOutlined spin /> : undefined} data-testid={`backup-status-${r.id}`}>
                        {t(`status_${v}`)}
                      </Tag>
                    );
                    return v === "failed" && r.error ? <Tooltip title={r.error}>{tag}</Tooltip> : tag;
                  },
                },
                { title: t("trigger"), dataIndex: "trigger", width: 80, render: (v: Backup["trigger"]) => t(`trigger_${v}`) },
                { title: t("duration"), key: "duration", width: 90, responsive: ["xxl"], render: (_, r) => formatDuration(r.startedAt, r.finishedAt, lang) },
                {
                  title: t("fileName"),
                  dataIndex: "fileName",
                  width: 240,
                  ellipsis: { showTitle: false },
                  render: (v: string | null, r) =>
                    v ? (
                      <Tooltip title={v}>
                        <Typography.Text style={{ fontFamily: "monospace", fontSize: 12 }}>{baseName(v)}</Typography.Text>
                      </Tooltip>
                    ) : r.error ? (
                      <Typography.Text type="danger">{r.error}</Typography.Text>
                    ) : (
                      "—"
                    ),
                },
                { title: t("size"), dataIndex: "sizeBytes", width: 90, align: "right", render: (v: Backup["sizeBytes"]) => formatBytes(v) },
                { title: t("tables"), dataIndex: "tableCount", width: 70, align: "right", responsive: ["xxl"], render: (v: number | null) => formatCount(v) },
                { title: t("rows"), dataIndex: "rowCount", width: 90, align: "right", render: (v: Backup["rowCount"]) => formatCount(v) },
                {
                  title: t("checksum"),
                  dataIndex: "sha256",
                  width: 150,
                  render: (v: string | null) =>
                    v ? (
                      <Tooltip title={t("copyChecksum")}>
                        <Typography.Text copyable={{ text: v, tooltips: false }} style={{ fontFamily: "monospace", fontSize: 12 }}>
                          {v.slice(0, 12)}…
                        </Typography.Text>
                      </Tooltip>
                    ) : (
                      "—"
                    ),
                },
                {
                  title: t("verification"),
                  key: "verify",
                  width: 130,
                  render: (_, r) => {
                    if (!r.verifyStatus) return <Tag data-testid={`backup-verify-${r.id}`}>{t("verify_none")}</Tag>;
                    const tag = (
                      <Tag
                        color={r.verifyStatus === "ok" ? "success" : "error"}
                        icon={r.verifyStatus === "ok" ? <CheckCircleOutlined /> : undefined}
                        data-testid={`backup-verify-${r.id}`}
                        data-status={r.verifyStatus}
                      >
                        {t(`verify_${r.verifyStatus}`)}
                      </Tag>
                    );
                    const when = t("verifiedAt", { time: formatDateTime(r.verifiedAt) });
                    return <Tooltip title={r.verifyDetail ? `${when}: ${r.verifyDetail}` : when}>{tag}</Tooltip>;
                  },
                },
                ...(can("ops.backup.run")
                  ? [
                      {
                        title: tc("actions"),
                        key: "actions",
                        width: 90,
                        fixed: "right" as const,
                        render: (_: unknown, r: Backup) =>
                          r.status === "succeeded" ? (
                            <Button type="link" size="small" icon={<SafetyOutlined />} onClick={() => verify(r)} data-testid={`backup-verify-btn-${r.id}`}>
                              {t("verify")}
                            </Button>
                          ) : null,
                      },
                    ]
                  : []),
              ]}
            />
          </>
        )}
      </Card>
      {can("ops.maintenance.read") && <MaintenanceCard />}
      {can("ops.maintenance.read") && <HousekeepingCard />}
    </>
  );
}
