import { registerMessages } from "../../../platform/i18n.ts";

registerMessages({
  "access.token.invalid": {
    "zh-CN": "API 令牌无效。请检查 Authorization: Bearer 头中的令牌。",
    "en-US": "The API token is not valid. Check the token in the Authorization: Bearer header.",
  },
  "access.token.expired": { "zh-CN": "API 令牌已过期，请联系管理员更换。", "en-US": "The API token has expired; ask an administrator for a new one." },
  "access.token.revoked": { "zh-CN": "API 令牌已被吊销。", "en-US": "The API token has been revoked." },
  "access.token.not_by_token": {
    "zh-CN": "API 令牌只能由登录的管理员创建或吊销。",
    "en-US": "API tokens are created and revoked by a signed-in administrator, not by another token.",
  },
  "access.token.exceeds_own_rights": { "zh-CN": "您本人没有该权限，不能授予令牌", "en-US": "is a permission you do not hold, so you cannot give it to a token" },
  "access.token.scope_required": {
    "zh-CN": "您对部分权限只有部门范围，令牌必须限定在您管理的部门内",
    "en-US": "some of these permissions reach only some departments for you: the token must be limited to one of them",
  },
  "access.token.warehouse_required": {
    "zh-CN": "您对部分权限只有仓库范围，令牌必须限定在您可管理的仓库内",
    "en-US": "some of these permissions reach only some warehouses for you: the token must be limited to one of them",
  },
  "access.token.wildcard": { "zh-CN": "令牌需列出具体权限，不能用通配符", "en-US": "must name exact permissions, not a wildcard" },
  "access.token.expiry_past": { "zh-CN": "过期时间必须晚于现在", "en-US": "must be in the future" },
  "access.token.expiry_max": { "zh-CN": "有效期最长一年", "en-US": "may be at most one year ahead" },
  "access.token.already_revoked": { "zh-CN": "该令牌已经吊销。", "en-US": "This token is already revoked." },
});
