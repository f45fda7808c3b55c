import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "identity.login.failed": { "zh-CN": "用户名或密码错误。", "en-US": "Wrong username or password." },
  "identity.login.locked": {
    "zh-CN": "登录失败次数过多，账户已临时锁定，请稍后再试或联系管理员。",
    "en-US": "Too many failed logins: the account is locked for a while. Try later or ask an administrator.",
  },
  "identity.password.classes": {
    "zh-CN": "需包含小写字母、大写字母、数字、符号中的至少 {n} 类",
    "en-US": "must contain at least {n} of: lower case, upper case, digits, symbols",
  },
  "identity.password.common": { "zh-CN": "过于常见，容易被猜到", "en-US": "is too common and easy to guess" },
  "identity.password.username": { "zh-CN": "不能与用户名相近", "en-US": "must not resemble the username" },
  "identity.password.reused": { "zh-CN": "不能与最近使用过的密码相同", "en-US": "must differ from recently used passwords" },
  "identity.password.wrong_current": { "zh-CN": "当前密码不正确", "en-US": "is not your current password" },
  "identity.password.change_required": {
    "zh-CN": "请先修改初始密码。",
    "en-US": "Please change your one-time password first.",
  },
  "identity.totp.already_enabled": { "zh-CN": "已启用双因素认证；如需更换，请先停用。", "en-US": "Two-factor authentication is already on; turn it off first to change it." },
  "identity.totp.not_pending": { "zh-CN": "请先开始设置双因素认证。", "en-US": "Start the two-factor set-up first." },
  "identity.totp.bad_code": { "zh-CN": "验证码不正确或已使用", "en-US": "is not a valid code (or was already used)" },
  "identity.totp.required_by_policy": {
    "zh-CN": "按公司安全策略，您的角色必须使用双因素认证，不能停用。",
    "en-US": "The company's security policy requires two-factor authentication for your roles; it cannot be turned off.",
  },
  "identity.totp.enrollment_required": {
    "zh-CN": "按公司安全策略，请先设置双因素认证。",
    "en-US": "The company's security policy requires you to set up two-factor authentication first.",
  },
  "identity.login.totp_required": { "zh-CN": "请输入身份验证器中的 6 位验证码。", "en-US": "Enter the 6-digit code from your authenticator app." },
  "identity.login.totp_failed": { "zh-CN": "验证码不正确。", "en-US": "The code is not correct." },
  "identity.login.throttled": { "zh-CN": "该地址登录失败次数过多，请 10 分钟后再试。", "en-US": "Too many failed logins from this address; try again in 10 minutes." },
  "identity.user.unknown_role": { "zh-CN": "角色不存在：{code}", "en-US": "no such role: {code}" },
});
