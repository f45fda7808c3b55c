import type { PermissionDef } from "../../platform/module.ts";

export const P = {
  read: "org.read",
  companyCreate: "org.company.create",
  companyEdit: "org.company.edit",
  departmentEdit: "org.department.edit",
  calendarEdit: "org.calendar.edit",
} as const;

export const permissions: PermissionDef[] = [
  { key: P.read, label: { "zh-CN": "查看组织架构与日历", "en-US": "View organisation and calendars" } },
  { key: P.companyCreate, label: { "zh-CN": "新建公司", "en-US": "Create companies" } },
  { key: P.companyEdit, label: { "zh-CN": "维护公司信息", "en-US": "Edit company details" } },
  { key: P.departmentEdit, label: { "zh-CN": "新建、修改、停用部门", "en-US": "Create, edit and deactivate departments" } },
  { key: P.calendarEdit, label: { "zh-CN": "维护工作日历、班次与假日", "en-US": "Edit working calendars, shifts and holidays" } },
];
