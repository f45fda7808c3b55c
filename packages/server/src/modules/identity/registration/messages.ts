import { registerMessages } from "../../../platform/i18n.ts";

registerMessages({
  "registration.error.department": { "zh-CN": "不是可选的部门", "en-US": "is not a department you can apply to" },
  "registration.error.email_pending": {
    "zh-CN": "该邮箱已有一份待审批的申请，请用申请编号查询进度",
    "en-US": "already has an application waiting for approval; check it with its application number",
  },
  "registration.error.file_type": { "zh-CN": "只接受 PDF、JPG 或 PNG 文件", "en-US": "must be a PDF, JPG or PNG file" },
  "registration.error.file_size": { "zh-CN": "文件不能超过 10 MB", "en-US": "must not be larger than 10 MB" },
  "registration.error.file_empty": { "zh-CN": "文件是空的", "en-US": "is an empty file" },
  "registration.error.proofs_required": { "zh-CN": "请至少上传一份工作或身份证明材料", "en-US": "needs at least one proof of job or identity" },
  "registration.error.too_many_files": { "zh-CN": "最多上传 5 个文件", "en-US": "may hold at most 5 files" },
  "registration.error.not_multipart": {
    "zh-CN": "申请须以 multipart/form-data 提交（含证明文件）。",
    "en-US": "An application is sent as multipart/form-data (with the proof files).",
  },
  "registration.error.not_pending": { "zh-CN": "该申请已处理（{status}）。", "en-US": "This application was already decided ({status})." },
  "registration.error.account_changed": {
    "zh-CN": "申请人的账号状态已变化，不能再激活。",
    "en-US": "The applicant's account is no longer waiting for activation.",
  },
  "constraint.registration_not_approved": {
    "zh-CN": "通过注册申请的账号，只有在申请获批后才能启用。",
    "en-US": "An account from a registration can only become active once the application is approved.",
  },
  "registration.summary": {
    "zh-CN": "账号申请：{fullName}（{username}），{department}，{jobTitle}",
    "en-US": "Account application: {fullName} ({username}), {department}, {jobTitle}",
  },
});
