import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "review.error.not_reviewer": { "zh-CN": "该审查项不由您负责。", "en-US": "This review item is not yours to decide." },
  "review.error.decided": { "zh-CN": "该审查项已处理。", "en-US": "This review item was already decided." },
  "review.error.closed": { "zh-CN": "该审查已关闭。", "en-US": "This review is closed." },
  "review.error.open_items": {
    "zh-CN": "还有 {n} 项未处理，不能关闭；逾期项目会自动上报给上级。",
    "en-US": "{n} items are still undecided; overdue items are escalated to the next superior automatically.",
  },
  "review.error.open_campaign": { "zh-CN": "已有进行中的权限审查。", "en-US": "An access review is already open." },
  "review.alert.escalated": { "zh-CN": "权限审查有 {n} 项逾期，已上报上级。", "en-US": "{n} overdue access-review items were escalated." },
});
