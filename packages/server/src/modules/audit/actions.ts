import { type Bilingual, hasMessage, type Lang, registerMessages, translate } from "../../platform/i18n.ts";

/**
 * Readable names of audit actions (command names and the read/export records) in both languages.
 * A module may register its own as `action.<name>` messages; other names are composed from the parts
 * of the name ("org.department.create" → 新建部门 / Create department), so a new command never shows up
 * as a bare code.
 */
const LABELS: Record<string, Bilingual> = {
  "auth.login": { "zh-CN": "登录", "en-US": "Sign in" },
  "auth.logout": { "zh-CN": "退出登录", "en-US": "Sign out" },
  "auth.password.change": { "zh-CN": "修改自己的密码", "en-US": "Change own password" },
  "auth.token": { "zh-CN": "API 令牌认证", "en-US": "API token authentication" },
  "api.read": { "zh-CN": "读取数据", "en-US": "Read data" },
  "data.sensitive.read": { "zh-CN": "查看敏感数据", "en-US": "View sensitive data" },
  "data.export": { "zh-CN": "导出数据", "en-US": "Export data" },
  "identity.user.create": { "zh-CN": "新建用户", "en-US": "Create user" },
  "identity.user.disable": { "zh-CN": "停用用户（离职）", "en-US": "Disable user (departure)" },
  "identity.user.reset_password": { "zh-CN": "重置用户密码", "en-US": "Reset user's password" },
  "org.calendar.exception.set": { "zh-CN": "设置节假日/调休", "en-US": "Set holiday or working day" },
  "org.calendar.exception.remove": { "zh-CN": "删除节假日/调休", "en-US": "Remove holiday or working day" },
  "ops.backup.local": { "zh-CN": "命令行备份", "en-US": "Backup from the command line" },
  "audit.chain.verify": { "zh-CN": "校验审计日志完整性", "en-US": "Verify the audit log" },
  "audit.security.scan": { "zh-CN": "运行异常检测", "en-US": "Run anomaly detection" },
  "audit.security.report": { "zh-CN": "报告安全事件", "en-US": "Report a security event" },
  "audit.security.investigate": { "zh-CN": "开始调查安全事件", "en-US": "Start investigating a security event" },
  "audit.security.assign": { "zh-CN": "指派安全事件", "en-US": "Assign a security event" },
  "audit.security.comment": { "zh-CN": "备注安全事件", "en-US": "Comment on a security event" },
  "audit.security.resolve": { "zh-CN": "安全事件结案", "en-US": "Resolve a security event" },
  "audit.security.reopen": { "zh-CN": "重新调查安全事件", "en-US": "Reopen a security event" },
  "audit.settings.update": { "zh-CN": "修改异常检测阈值", "en-US": "Change anomaly thresholds" },
  "access.token.create": { "zh-CN": "创建 API 令牌", "en-US": "Create API token" },
  "access.token.revoke": { "zh-CN": "吊销 API 令牌", "en-US": "Revoke API token" },
  "access.user_role.assign": { "zh-CN": "授予用户角色", "en-US": "Grant a role" },
  "access.user_role.revoke": { "zh-CN": "收回用户角色", "en-US": "Revoke a role" },
};
registerMessages(Object.fromEntries(Object.entries(LABELS).map(([k, v]) => [`action.${k}`, v])));

const VERBS: Record<string, Bilingual> = {
  create: { "zh-CN": "新建", "en-US": "Create" },
  update: { "zh-CN": "修改", "en-US": "Update" },
  edit: { "zh-CN": "修改", "en-US": "Edit" },
  delete: { "zh-CN": "删除", "en-US": "Delete" },
  remove: { "zh-CN": "移除", "en-US": "Remove" },
  set: { "zh-CN": "设置", "en-US": "Set" },
  enable: { "zh-CN": "启用", "en-US": "Enable" },
  disable: { "zh-CN": "停用", "en-US": "Disable" },
  activate: { "zh-CN": "启用", "en-US": "Activate" },
  deactivate: { "zh-CN": "停用", "en-US": "Deactivate" },
  submit: { "zh-CN": "提交", "en-US": "Submit" },
  approve: { "zh-CN": "批准", "en-US": "Approve" },
  reject: { "zh-CN": "驳回", "en-US": "Reject" },
  decide: { "zh-CN": "审批", "en-US": "Decide" },
  post: { "zh-CN": "过账", "en-US": "Post" },
  reverse: { "zh-CN": "冲销", "en-US": "Reverse" },
  cancel: { "zh-CN": "取消", "en-US": "Cancel" },
  close: { "zh-CN": "关闭", "en-US": "Close" },
  release: { "zh-CN": "下达", "en-US": "Release" },
  import: { "zh-CN": "导入", "en-US": "Import" },
  export: { "zh-CN": "导出", "en-US": "Export" },
  assign: { "zh-CN": "授予", "en-US": "Assign" },
  revoke: { "zh-CN": "收回", "en-US": "Revoke" },
  request: { "zh-CN": "申请", "en-US": "Request" },
  expire: { "zh-CN": "到期结束", "en-US": "Expire" },
  end: { "zh-CN": "结束", "en-US": "End" },
  start: { "zh-CN": "开始", "en-US": "Start" },
  run: { "zh-CN": "运行", "en-US": "Run" },
  verify: { "zh-CN": "校验", "en-US": "Verify" },
  read: { "zh-CN": "查看", "en-US": "View" },
  upload: { "zh-CN": "上传", "en-US": "Upload" },
  attach: { "zh-CN": "上传附件", "en-US": "Attach" },
  reserve: { "zh-CN": "预留", "en-US": "Reserve" },
  count: { "zh-CN": "盘点", "en-US": "Count" },
  apply: { "zh-CN": "申请", "en-US": "Apply" },
  escalate: { "zh-CN": "升级", "en-US": "Escalate" },
  delegate: { "zh-CN": "委派", "en-US": "Delegate" },
  withdraw: { "zh-CN": "撤回", "en-US": "Withdraw" },
};

const OBJECTS: Record<string, Bilingual> = {
  org: { "zh-CN": "组织", "en-US": "organisation" },
  company: { "zh-CN": "公司", "en-US": "company" },
  department: { "zh-CN": "部门", "en-US": "department" },
  calendar: { "zh-CN": "工作日历", "en-US": "working calendar" },
  exception: { "zh-CN": "例外", "en-US": "exception" },
  identity: { "zh-CN": "账户", "en-US": "account" },
  user: { "zh-CN": "用户", "en-US": "user" },
  registration: { "zh-CN": "注册申请", "en-US": "registration" },
  access: { "zh-CN": "权限", "en-US": "access" },
  role: { "zh-CN": "角色", "en-US": "role" },
  user_role: { "zh-CN": "用户角色", "en-US": "user role" },
  temporary: { "zh-CN": "临时权限", "en-US": "temporary grant" },
  grantable: { "zh-CN": "可临时授予的权限", "en-US": "grantable permissions" },
  sod: { "zh-CN": "职责分离", "en-US": "segregation of duties" },
  rule: { "zh-CN": "规则", "en-US": "rule" },
  token: { "zh-CN": "API 令牌", "en-US": "API token" },
  ops: { "zh-CN": "运维", "en-US": "operations" },
  backup: { "zh-CN": "备份", "en-US": "backup" },
  workflow: { "zh-CN": "流程", "en-US": "workflow" },
  chain: { "zh-CN": "审批链", "en-US": "approval chain" },
  masterdata: { "zh-CN": "主数据", "en-US": "master data" },
  item: { "zh-CN": "物料", "en-US": "item" },
  partner: { "zh-CN": "业务伙伴", "en-US": "partner" },
  uom: { "zh-CN": "计量单位", "en-US": "unit of measure" },
  unit: { "zh-CN": "计量单位", "en-US": "unit" },
  bom: { "zh-CN": "物料清单", "en-US": "bill of materials" },
  routing: { "zh-CN": "工艺路线", "en-US": "routing" },
  workcenter: { "zh-CN": "工作中心", "en-US": "work centre" },
  warehouse: { "zh-CN": "仓库", "en-US": "warehouse" },
  location: { "zh-CN": "库位", "en-US": "location" },
  inventory: { "zh-CN": "库存", "en-US": "inventory" },
  receipt: { "zh-CN": "入库单", "en-US": "receipt" },
  issue: { "zh-CN": "出库单", "en-US": "issue" },
  transfer: { "zh-CN": "调拨单", "en-US": "transfer" },
  adjustment: { "zh-CN": "库存调整", "en-US": "adjustment" },
  reservation: { "zh-CN": "库存预留", "en-US": "reservation" },
  attachment: { "zh-CN": "附件", "en-US": "attachment" },
  audit: { "zh-CN": "审计", "en-US": "audit" },
  security: { "zh-CN": "安全事件", "en-US": "security event" },
  settings: { "zh-CN": "设置", "en-US": "settings" },
  review: { "zh-CN": "权限审查", "en-US": "access review" },
  campaign: { "zh-CN": "权限审查活动", "en-US": "review campaign" },
  policy: { "zh-CN": "安全策略", "en-US": "security policy" },
  mfa: { "zh-CN": "两步验证", "en-US": "two-step verification" },
  totp: { "zh-CN": "动态口令", "en-US": "authenticator code" },
  request: { "zh-CN": "申请", "en-US": "request" },
  delegation: { "zh-CN": "审批代理", "en-US": "approval delegation" },
  document: { "zh-CN": "库存单据", "en-US": "stock document" },
  stock: { "zh-CN": "库存", "en-US": "stock" },
};

/** The readable name of an audit action in `lang`. */
export function actionLabel(action: string, lang: Lang): string {
  const key = `action.${action}`;
  if (hasMessage(key)) return translate(key, lang);
  const parts = action.split(".");
  const verb = VERBS[parts[parts.length - 1]];
  if (!verb || parts.length < 2) return action;
  // The object is the most specific known part before the verb: "org.department.create" → department.
  const objects = parts.slice(0, -1).filter((p) => OBJECTS[p]);
  const object = objects.length > 0 ? OBJECTS[objects[objects.length - 1]] : undefined;
  if (!object) return `${verb[lang]} ${parts.slice(0, -1).join(".")}`;
  return lang === "zh-CN" ? `${verb["zh-CN"]}${object["zh-CN"]}` : `${verb["en-US"]} ${object["en-US"]}`;
}

export const bothLabels = (action: string): Bilingual => ({ "zh-CN": actionLabel(action, "zh-CN"), "en-US": actionLabel(action, "en-US") });
