import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "ops.error.backup_running": { "zh-CN": "已有备份正在进行，请等待其完成。", "en-US": "A backup is already running; wait for it to finish." },
  "ops.error.maintenance_running": {
    "zh-CN": "数据库维护已在排队或进行中，请等待其完成。",
    "en-US": "Database maintenance is already queued or running; wait for it to finish.",
  },
  "ops.error.housekeeping_running": {
    "zh-CN": "数据清理已在排队或进行中，请等待其完成。",
    "en-US": "Housekeeping is already queued or running; wait for it to finish.",
  },
  "ops.alert.backup_failed": { "zh-CN": "备份 #{id} 失败：{error}", "en-US": "Backup #{id} failed: {error}" },
  "ops.alert.backup_damaged": {
    "zh-CN": "备份 #{id} 校验未通过（{detail}），已自动安排重新备份。",
    "en-US": "Backup #{id} failed verification ({detail}); a new backup has been queued.",
  },
});
