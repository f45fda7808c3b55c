import type { PermissionDef } from "../../../platform/module.ts";

/** Deciding an application is the approval chain's business (department administrators); this is for reading them all. */
export const P = { registrationRead: "identity.registration.read" } as const;

export const permissions: PermissionDef[] = [
  { key: P.registrationRead, label: { "zh-CN": "查看全部账号申请及其证明材料", "en-US": "View every account application and its proof documents" } },
];
