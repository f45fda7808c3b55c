import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "production.error.no_such_item": { "zh-CN": "物料不存在", "en-US": "is not an existing item" },
  "production.error.not_made": { "zh-CN": "物料 {item} 是外购件，不能下生产订单", "en-US": "item {item} is bought, not made" },
  "production.error.quantity_positive": { "zh-CN": "必须大于 0", "en-US": "must be greater than 0" },
  "production.error.start_after_due": { "zh-CN": "开工日期不能晚于完工日期", "en-US": "must not be after the due date" },
});
