import { errors } from "../../platform/errors.ts";
import { defineCommand } from "../../platform/pipeline.ts";
import { DecimalString, StrictObject, Type } from "../../platform/validation.ts";
import { dec, requireCompany } from "../inventory/common.ts";
import { insertDraftOrders } from "./orders.ts";
import { P } from "./permissions.ts";

const Id = Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 });
const Day = Type.String({ format: "date" });

/** A draft production order entered by hand (MRP conversion uses the same rules, see planning). */
export const createOrder = defineCommand({
  name: "production.order.create",
  permission: P.orderEdit,
  entity: "production_order",
  input: StrictObject({
    itemId: Id,
    quantity: DecimalString(),
    dueDate: Day,
    startDate: Type.Optional(Type.Union([Day, Type.Null()])),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  }),
  async run(ctx, input) {
    const companyId = requireCompany(ctx.actor);
    if (!dec(input.quantity).gt(0)) throw errors.field("/quantity", "exclusiveMinimum", "production.error.quantity_positive");
    if (input.startDate && input.startDate > input.dueDate) throw errors.field("/startDate", "range", "production.error.start_after_due");
    const [order] = await insertDraftOrders(ctx.tx, companyId, ctx.actor.kind === "user" ? ctx.actor.id : null, [input]);
    ctx.audit.after = { ...input, orderNo: order.orderNo };
    return order;
  },
});
