import type { PermissionDef } from "../../../platform/module.ts";

export const P = {
  bomRead: "masterdata.bom.read",
  /** Quantities of BOM lines (the product's recipe) are confidential (IAM-5). */
  bomQuantityRead: "masterdata.bom.quantity.read",
  bomEdit: "masterdata.bom.edit",
  /** Activating and making obsolete: a second person releases what an engineer drafted. */
  bomRelease: "masterdata.bom.release",
  routingRead: "masterdata.routing.read",
  routingEdit: "masterdata.routing.edit",
  routingRelease: "masterdata.routing.release",
  resourceRead: "masterdata.workcentre.read",
  resourceEdit: "masterdata.workcentre.edit",
  /** Hourly labour, machine and overhead rates of work centres. */
  rateRead: "masterdata.workcentre.rate.read",
  /** Declared by the catalog area (items' standard cost); the cost roll-up needs it too. */
  itemCostRead: "masterdata.item.cost.read",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.bomRead, label: { "zh-CN": "查看物料清单（BOM）结构", "en-US": "View bills of materials (structure)" } },
  {
    key: P.bomQuantityRead,
    label: { "zh-CN": "查看 BOM 用量（配方数据）", "en-US": "View BOM quantities (recipe data)" },
    sensitive: true,
  },
  { key: P.bomEdit, label: { "zh-CN": "编制和修改 BOM 草稿", "en-US": "Draft and edit bills of materials" } },
  { key: P.bomRelease, label: { "zh-CN": "发布（生效）和作废 BOM", "en-US": "Release (activate) and obsolete bills of materials" } },
  { key: P.routingRead, label: { "zh-CN": "查看工艺路线", "en-US": "View routings" } },
  { key: P.routingEdit, label: { "zh-CN": "编制和修改工艺路线草稿", "en-US": "Draft and edit routings" } },
  { key: P.routingRelease, label: { "zh-CN": "发布（生效）和作废工艺路线", "en-US": "Release (activate) and obsolete routings" } },
  { key: P.resourceRead, label: { "zh-CN": "查看车间、生产线、工作中心与产能", "en-US": "View workshops, lines, work centres and capacity" } },
  { key: P.resourceEdit, label: { "zh-CN": "维护车间、生产线、工作中心与技能", "en-US": "Edit workshops, lines, work centres and skills" } },
  {
    key: P.rateRead,
    label: { "zh-CN": "查看工作中心的人工、机器与制造费用费率", "en-US": "View work centres' labour, machine and overhead rates" },
    sensitive: true,
  },
];
