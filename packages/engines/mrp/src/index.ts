/**
 * @kaiwu/mrp — a pure, deterministic MRP engine: low-level codes, netting,
 * lot sizing, lead-time offsetting, explosion, pegging and exception
 * messages over periods 1..N, with exact decimal quantities.
 */
export {
  addWorkingDays,
  type BucketKind,
  createPlanningCalendar,
  dateOfDay,
  dayNumber,
  isoWeekLabel,
  leadTimeToPeriods,
  leadTimeToPeriodsAt,
  type PlanningBucket,
  type PlanningCalendar,
  periodOfDate,
  type Roll,
} from "./calendar.ts";
export { compileModel } from "./compile.ts";
export { MrpInputError, MrpRangeError } from "./errors.ts";
export { type MrpJsonOptions, mrpResultToJson } from "./json.ts";
export type { CompiledModel } from "./model.ts";
export { parseMrpInput } from "./parse-input.ts";
export { ALLOCATED_PREFIX, LOT_SIZE_EXCESS_PREFIX, SAFETY_STOCK_PREFIX } from "./pegging.ts";
export { MrpResult } from "./result.ts";
export { planModel, runMrp } from "./run-mrp.ts";
export type * from "./types.ts";
