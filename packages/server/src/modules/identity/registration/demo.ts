import { anonymous } from "../../../platform/actor.ts";
import type { DemoContext } from "../../../platform/module.ts";
import { execute } from "../../../platform/pipeline.ts";
import type { Runtime } from "../../../platform/runtime.ts";
import { oneTimePassword } from "../password.ts";
import { apply } from "./commands.ts";
import { simplePdf } from "./pdf.ts";

/**
 * A pending application for the assembly workshop, with a generated PDF as its proof: the production
 * department's administrator (prod.admin) finds it in their approvals. Needs the registration chain.
 */
export async function seedDemo(runtime: Runtime, demo: DemoContext): Promise<void> {
  const depts = demo.departments as Record<string, number>;
  const password = oneTimePassword();
  const proof = simplePdf([
    "Kaiwu Demo Manufacturing Co., Ltd. - Proof of employment",
    "",
    "Name: Zhao Xiaoqing",
    "Department: Workshop 1 (Assembly)",
    "Position: Assembler, employed since 2026-11-01",
    "",
    "This document was generated for the demo company.",
  ]);
  const r = await execute(
    runtime,
    apply,
    {
      fullName: "赵小青 Zhao Xiaoqing",
      username: "ws1.zhao",
      email: "zhao.xiaoqing@example.com",
      departmentId: depts.WS1,
      jobTitle: "装配工 Assembler",
      password,
      proofs: [{ fileName: "在职证明-employment.pdf", contentBase64: proof.toString("base64") }],
    },
    anonymous("zh-CN"),
    { requestId: "demo-seed" },
  );
  demo.registrationNumber = r.number;
  (demo.logins as { username: string; password: string; roles: string }[] | undefined)?.push({
    username: "ws1.zhao",
    password,
    roles: `(account application ${r.number}, e-mail zhao.xiaoqing@example.com: can sign in once approved)`,
  });
}
