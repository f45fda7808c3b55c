/** Server-side messages in both languages. Modules add their own with `registerMessages`. */
export type Lang = "zh-CN" | "en-US";
export type Bilingual = { "zh-CN": string; "en-US": string };

const catalogue = new Map<string, Bilingual>();

export function registerMessages(messages: Record<string, Bilingual>): void {
  for (const [key, text] of Object.entries(messages)) catalogue.set(key, text);
}

/** Picks the caller's language from an Accept-Language header (Chinese if it comes first, else English). */
export function langFromHeader(header: string | undefined): Lang {
  if (!header) return "zh-CN";
  const first = header.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh-CN" : "en-US";
}

export function hasMessage(key: string): boolean {
  return catalogue.has(key);
}

export function translate(key: string, lang: Lang, params: Record<string, unknown> = {}): string {
  const text = catalogue.get(key)?.[lang] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

registerMessages({
  "error.validation": { "zh-CN": "输入有误，请检查标出的字段。", "en-US": "The input is not valid; see the fields listed." },
  "error.unauthenticated": { "zh-CN": "请先登录。", "en-US": "Please log in first." },
  "error.session_expired": { "zh-CN": "会话因长时间未操作已结束，请重新登录。", "en-US": "Your session ended after a period of inactivity. Please log in again." },
  "error.forbidden": { "zh-CN": "您没有执行此操作的权限（{permission}）。", "en-US": "You do not have permission for this ({permission})." },
  "error.not_found": { "zh-CN": "未找到该{entity}。", "en-US": "This {entity} was not found." },
  "error.conflict_version": {
    "zh-CN": "该记录已被他人修改（当前版本 {current}），请刷新后重试。",
    "en-US": "Someone else changed this record (now version {current}). Reload it and try again.",
  },
  "error.version_required": { "zh-CN": "更新需要提供版本号（If-Match 或 version）。", "en-US": "An update needs the record's version (If-Match or version)." },
  "error.idempotency_mismatch": {
    "zh-CN": "该幂等键已用于另一个请求。",
    "en-US": "This Idempotency-Key was already used for a different request.",
  },
  "error.malformed_json": { "zh-CN": "请求体不是有效的 JSON。", "en-US": "The request body is not valid JSON." },
  "error.payload_too_large": { "zh-CN": "请求体过大。", "en-US": "The request body is too large." },
  "error.unsupported_media_type": { "zh-CN": "不支持的内容类型。", "en-US": "Unsupported content type." },
  "error.route_not_found": { "zh-CN": "接口不存在。", "en-US": "No such endpoint." },
  "error.csrf": { "zh-CN": "请求缺少有效的防跨站令牌，请刷新页面。", "en-US": "The request lacks a valid CSRF token; reload the page." },
  "error.internal": { "zh-CN": "服务器内部错误，已记录。请求号 {requestId}。", "en-US": "Internal server error; it has been logged. Request id {requestId}." },
  "error.unique": { "zh-CN": "{field} 已存在。", "en-US": "{field} already exists." },
  "error.too_many_requests": { "zh-CN": "请求过于频繁，请稍后再试。", "en-US": "Too many requests; try again later." },
  "error.referenced": { "zh-CN": "该记录引用了不存在的数据，或仍被其他数据引用（{detail}）。", "en-US": "This record refers to missing data, or is still referred to ({detail})." },
  "error.check": { "zh-CN": "数据不满足规则 {constraint}。", "en-US": "The data breaks the rule {constraint}." },
  "error.db_rule": { "zh-CN": "操作被拒绝：{message}", "en-US": "Refused: {message}" },
  "validation.unique": { "zh-CN": "该值已存在", "en-US": "already exists" },
  "validation.required": { "zh-CN": "必填", "en-US": "is required" },
  "validation.unknown_field": { "zh-CN": "不允许的字段", "en-US": "is not an allowed field" },
  "validation.type": { "zh-CN": "类型应为 {expected}", "en-US": "must be of type {expected}" },
  "validation.min_length": { "zh-CN": "长度至少为 {limit}", "en-US": "must be at least {limit} characters" },
  "validation.max_length": { "zh-CN": "长度不能超过 {limit}", "en-US": "must be at most {limit} characters" },
  "validation.pattern": { "zh-CN": "格式不正确", "en-US": "has the wrong format" },
  "validation.format": { "zh-CN": "格式应为 {format}", "en-US": "must be a valid {format}" },
  "validation.minimum": { "zh-CN": "不能小于 {limit}", "en-US": "must be at least {limit}" },
  "validation.maximum": { "zh-CN": "不能大于 {limit}", "en-US": "must be at most {limit}" },
  "validation.enum": { "zh-CN": "取值应为其中之一：{values}", "en-US": "must be one of: {values}" },
  "validation.decimal": { "zh-CN": "应为十进制数（字符串）", "en-US": "must be a decimal number written as a string" },
  "validation.invalid": { "zh-CN": "无效", "en-US": "is not valid" },
});
