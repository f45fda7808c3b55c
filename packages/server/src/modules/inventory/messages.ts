import { registerMessages } from "../../platform/i18n.ts";

registerMessages({
  "inventory.error.insufficient_stock": {
    "zh-CN": "库存不足：{item} 在库位 {location} 的可用量为 {available}（现存 {onHand}），需要 {requested}。",
    "en-US": "Not enough stock: {item} at {location} has {available} available ({onHand} on hand), {requested} needed.",
  },
  "inventory.error.insufficient_stock_lot": {
    "zh-CN": "库存不足：{item} 批次 {lot} 在库位 {location} 的可用量为 {available}（现存 {onHand}），需要 {requested}。",
    "en-US": "Not enough stock: {item} lot {lot} at {location} has {available} available ({onHand} on hand), {requested} needed.",
  },
  "inventory.error.insufficient_stock_area": {
    "zh-CN": "库存不足：{item} 在仓库 {warehouse} 的现存量为 {available}，需要 {requested}。",
    "en-US": "Not enough stock: {item} in warehouse {warehouse} has {available} on hand, {requested} needed.",
  },
  "inventory.error.insufficient_stock_db": {
    "zh-CN": "库存不足：该操作会使库存变为负数，已被拒绝。",
    "en-US": "Not enough stock: the operation would make stock negative and was refused.",
  },
  "inventory.error.line_insufficient": { "zh-CN": "超出可用量 {available}", "en-US": "exceeds the {available} available" },
  "inventory.error.line_valuation": { "zh-CN": "无法计价", "en-US": "cannot be valued" },
  "inventory.error.layer_consumed": {
    "zh-CN": "无法冲销：{item} 这次入库形成的先进先出层只剩 {remaining}（原为 {original}），请先冲销消耗了它的出库。",
    "en-US": "Cannot reverse: only {remaining} of the {original} this receipt brought in of {item} is left in its FIFO layer; reverse the issues that consumed it first.",
  },
  "inventory.error.no_known_cost": {
    "zh-CN": "{item} 还没有任何成本，无法为负库存计价；请先设置标准成本或入库。",
    "en-US": "{item} has no known cost to value negative stock with; set a standard cost or receive it first.",
  },
  "inventory.error.valuation_failed": { "zh-CN": "库存计价失败：{message}", "en-US": "Stock valuation failed: {message}" },
  "inventory.error.valuation_method_changed": {
    "zh-CN": "{item} 的计价方法已改变，但仍按 {method} 计价的库存尚未清零。",
    "en-US": "The valuation method of {item} changed while it still has stock valued by {method}.",
  },
  "inventory.error.stock_frozen": {
    "zh-CN": "{item} 在库位 {location} 正在盘点（{count}），盘点结束前不能出入库。",
    "en-US": "{item} at {location} is frozen by the count {count}; no moves until the count is finished.",
  },
  "inventory.error.no_such_item": { "zh-CN": "物料不存在", "en-US": "is not an existing item" },
  "inventory.error.no_such_location": { "zh-CN": "库位不存在", "en-US": "is not an existing location" },
  "inventory.error.no_such_lot": { "zh-CN": "批次不存在", "en-US": "is not an existing lot" },
  "inventory.error.no_such_partner": { "zh-CN": "往来单位不存在或已冻结", "en-US": "is not an existing, active partner" },
  "inventory.error.partner_not_supplier": { "zh-CN": "不是供应商", "en-US": "is not a supplier" },
  "inventory.error.partner_not_customer": { "zh-CN": "不是客户", "en-US": "is not a customer" },
  "inventory.error.no_such_warehouse": { "zh-CN": "仓库不存在", "en-US": "is not an existing warehouse" },
  "inventory.error.quantity_positive": { "zh-CN": "数量必须大于 0", "en-US": "must be greater than 0" },
  "inventory.error.same_location": { "zh-CN": "来源与目标库位不能相同", "en-US": "must differ from the source location" },
  "inventory.error.line_outside_warehouses": {
    "zh-CN": "来源或目标须有一方在您可管理的仓库内（在途库存由收货仓库接收）",
    "en-US": "must be in a warehouse you manage, on one side of the move at least (goods in transit are received by their warehouse)",
  },
  "inventory.error.no_stock_location": { "zh-CN": "来源或目标至少一方须是实物库位", "en-US": "either side must be a stock location" },
  "inventory.error.location_required": { "zh-CN": "请选择库位", "en-US": "is required: choose a location" },
  "inventory.error.location_kind": { "zh-CN": "库位类型不适用：应为 {kinds}", "en-US": "has the wrong kind of location: expected {kinds}" },
  "inventory.error.location_inactive": { "zh-CN": "库位 {location} 已停用", "en-US": "location {location} is inactive" },
  "inventory.error.no_default_location": {
    "zh-CN": "没有可用的“{kind}”类型库位，请先在仓库设置中建立。",
    "en-US": "There is no active location of the kind “{kind}”; set one up in the warehouse settings first.",
  },
  "inventory.error.lot_not_of_item": { "zh-CN": "不是物料 {item} 的批次", "en-US": "is not a lot of item {item}" },
  "inventory.error.lot_required": { "zh-CN": "物料 {item} 按批次/序列号管理，必须指定批次", "en-US": "is required: {item} is tracked by lot or serial number" },
  "inventory.error.lot_not_tracked": { "zh-CN": "物料 {item} 不按批次管理，不能指定批次", "en-US": "must be empty: {item} is not tracked by lot" },
  "inventory.error.lot_field_receipt_only": { "zh-CN": "只有入库单可以新建批次", "en-US": "applies to receipts only" },
  "inventory.error.lot_expiry_mismatch": {
    "zh-CN": "批次 {lot} 已存在，有效期为 {expiry}",
    "en-US": "lot {lot} exists already with the expiry date {expiry}",
  },
  "inventory.error.lot_expired": {
    "zh-CN": "批次 {lot} 已于 {expiry} 过期，不能发往客户或生产",
    "en-US": "lot {lot} expired on {expiry} and cannot go to a customer or production",
  },
  "inventory.error.serial_quantity": { "zh-CN": "{item} 按序列号管理，每行数量必须为 1", "en-US": "must be 1: {item} is tracked by serial number" },
  "inventory.error.serial_in_stock": { "zh-CN": "序列号 {lot} 已在库", "en-US": "serial number {lot} is already in stock" },
  "inventory.error.item_not_stocked": { "zh-CN": "{item} 是服务类物料，不管理库存", "en-US": "{item} is a service and has no stock" },
  "inventory.error.item_blocked": { "zh-CN": "物料 {item} 已冻结", "en-US": "item {item} is blocked" },
  "inventory.error.item_obsolete": { "zh-CN": "物料 {item} 已淘汰，不能再入库", "en-US": "item {item} is obsolete and cannot be received" },
  "inventory.error.unit_cost_receipt_only": { "zh-CN": "只有入库单可以指定成本", "en-US": "applies to receipts only" },
  "inventory.error.unit_cost_permission": {
    "zh-CN": "需要“查看库存成本”权限才能录入成本",
    "en-US": "needs the permission to see stock costs",
  },
  "inventory.error.production_ref_required": {
    "zh-CN": "与生产库位之间的移动必须填写生产订单号",
    "en-US": "is required for moves to or from production",
  },
  "inventory.error.order_ref_issue_only": { "zh-CN": "只有出库单可以消耗订单预留", "en-US": "applies to goods issues only" },
  "inventory.error.posting_date_future": { "zh-CN": "过账日期不能晚于今天（{today}）", "en-US": "must not be after today ({today})" },
  "inventory.error.posting_date_old": { "zh-CN": "过账日期不能早于 {oldest}", "en-US": "must not be before {oldest}" },
  "inventory.error.not_draft": { "zh-CN": "单据 {number} 已{state}，不能再修改或过账。", "en-US": "Document {number} is {state} and can no longer be edited or posted." },
  "inventory.error.not_posted": { "zh-CN": "单据 {number} 未过账（{state}），不能冲销。", "en-US": "Document {number} is {state}, not posted: it cannot be reversed." },
  "inventory.error.already_reversed": { "zh-CN": "该单据已被冲销过。", "en-US": "This document has been reversed already." },
  "inventory.error.cannot_reverse_reversal": {
    "zh-CN": "冲销单本身不能再冲销；如需恢复，请重新录入原业务。",
    "en-US": "A reversal cannot itself be reversed; enter the original business again instead.",
  },
  "inventory.error.count_state": { "zh-CN": "盘点单 {number} 当前为“{state}”，不能执行此操作。", "en-US": "Count {number} is {state}: this is not possible now." },
  "inventory.error.count_overlap": {
    "zh-CN": "库位 {location} 已在盘点单 {count} 中冻结。",
    "en-US": "Location {location} is frozen by the count {count} already.",
  },
  "inventory.error.count_incomplete": {
    "zh-CN": "还有 {count} 行未盘点；请录入数量，或选择“未盘点的按 0 处理”。",
    "en-US": "{count} lines are not counted yet; enter them, or choose to treat uncounted lines as zero.",
  },
  "inventory.error.count_location_scope": { "zh-CN": "不在本次盘点的库位范围内", "en-US": "is not one of the counted locations" },
  "inventory.error.count_item_scope": { "zh-CN": "不在本次盘点的物料范围内", "en-US": "is not one of the counted items" },
  "inventory.error.count_no_locations": { "zh-CN": "仓库中没有可盘点的库位", "en-US": "the warehouse has no stock locations to count" },
  "inventory.error.maker_checker": {
    "zh-CN": "审核人不能是盘点人或提交人（不相容职务分离）。请由其他有审核权限的人员审核。",
    "en-US": "The approver may not be the person who counted or submitted the count (segregation of duties). Ask another approver.",
  },
  "inventory.error.reservation_state": { "zh-CN": "该预留已关闭。", "en-US": "This reservation is closed." },
  "inventory.error.release_exceeds": { "zh-CN": "不能超过剩余预留量 {remaining}", "en-US": "must not exceed the {remaining} still reserved" },
  "inventory.error.return_no_original": { "zh-CN": "不是物料 {item} 的出入库移动", "en-US": "is not a move of item {item}" },
  "inventory.error.return_wrong_original": {
    "zh-CN": "退供应商须对应一笔供应商入库，客户退货须对应一笔发给客户的出库（且未被冲销）",
    "en-US": "must be a receipt from a supplier (returns to the supplier) or an issue to a customer (customer returns) that is not reversed",
  },
  "inventory.error.return_other_lot": { "zh-CN": "退货批次须与原移动相同", "en-US": "must be the lot of the original move" },
  "inventory.error.return_other_warehouse": { "zh-CN": "退货须在原移动的仓库办理", "en-US": "must be returned in the warehouse of the original move" },
  "inventory.error.return_exceeds": {
    "zh-CN": "{item} 原移动数量 {original}，已退 {returned}，退货不能超过原数量",
    "en-US": "{item}: the original moved {original} and {returned} are returned already; returns cannot exceed the original",
  },
  "inventory.error.reversal_has_returns": {
    "zh-CN": "该移动已有退货（{returned}），请先冲销退货再冲销它。",
    "en-US": "This move has returns ({returned}); reverse the returns before reversing it.",
  },
  "inventory.error.scan_unknown": { "zh-CN": "找不到条码或编码 {code}", "en-US": "no item or lot has the code {code}" },
  "inventory.error.scan_ambiguous": { "zh-CN": "多个物料有批号 {code}，请先扫物料条码", "en-US": "several items have a lot {code}; scan the item first" },
  "inventory.error.trace_lot": { "zh-CN": "请指定批次", "en-US": "give a lot" },
  "constraint.stock_balance_not_negative": {
    "zh-CN": "库存不足：该操作会使库存变为负数，已被拒绝。",
    "en-US": "Not enough stock: the operation would make stock negative and was refused.",
  },
  "constraint.stock_balance_reserved": {
    "zh-CN": "预留量不能为负数。",
    "en-US": "Reserved stock cannot be negative.",
  },
  "constraint.stock_document_immutable": {
    "zh-CN": "已过账的单据不能修改或删除；如需更正，请做冲销。",
    "en-US": "A posted document cannot be changed or deleted; correct it with a reversal.",
  },
  "constraint.stock_document_state": { "zh-CN": "单据状态不允许此操作。", "en-US": "The document's state does not allow this." },
  "constraint.stock_count_immutable": {
    "zh-CN": "盘点单在当前状态下不能修改。",
    "en-US": "The count cannot be changed in its current state.",
  },
  "constraint.stock_count_state": { "zh-CN": "盘点单状态不允许此操作。", "en-US": "The count's state does not allow this." },
  "constraint.stock_count_maker_checker": {
    "zh-CN": "审核人不能是盘点人或提交人（不相容职务分离）。",
    "en-US": "The approver may not be the person who counted or submitted the count (segregation of duties).",
  },
  "constraint.stock_move_reversal_mirrors": {
    "zh-CN": "冲销移动必须与原移动完全相反。",
    "en-US": "A reversing move must mirror the move it reverses exactly.",
  },
  "constraint.stock_document_reversed_once": { "zh-CN": "该单据已被冲销过。", "en-US": "This document has been reversed already." },
});
