import Type, { type Static, type TSchema } from "typebox";
import { Compile } from "typebox/compile";
import { type FieldError, errors } from "./errors.ts";

interface RawValidationError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/** Maps TypeBox/JSON-schema errors to field errors that name the field and the rule (RFC 9457 `errors`). */
export function toFieldErrors(raw: RawValidationError[], prefix = ""): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  // A union of literals reports one `const` per branch plus an `anyOf`: fold them into one enum error.
  const constsAt = new Map<string, unknown[]>();
  for (const e of raw) {
    if (e.keyword === "const") constsAt.set(e.instancePath, [...(constsAt.get(e.instancePath) ?? []), e.params.allowedValue]);
  }
  for (const e of raw) {
    if (e.keyword === "boolean") continue; // the `false` schema behind additionalProperties; reported as unknownField
    if (e.keyword === "const" && constsAt.get(e.instancePath)!.length > 1) continue;
    const base = `${prefix}${e.instancePath}`;
    const p = e.params;
    let fe: FieldError;
    switch (e.keyword) {
      case "required":
        for (const name of (p.requiredProperties as string[] | undefined) ?? [p.missingProperty as string]) {
          push({ field: `${base}/${name}`, rule: "required", messageKey: "validation.required" });
        }
        continue;
      case "additionalProperties":
        for (const name of (p.additionalProperties as string[] | undefined) ?? [p.additionalProperty as string]) {
          push({ field: `${base}/${name}`, rule: "unknownField", messageKey: "validation.unknown_field" });
        }
        continue;
      case "type":
        fe = { field: base, rule: "type", messageKey: "validation.type", params: { expected: p.type } };
        break;
      case "minLength":
        fe = { field: base, rule: "minLength", messageKey: "validation.min_length", params: { limit: p.limit } };
        break;
      case "maxLength":
        fe = { field: base, rule: "maxLength", messageKey: "validation.max_length", params: { limit: p.limit } };
        break;
      case "pattern":
        fe = { field: base, rule: "pattern", messageKey: "validation.pattern" };
        break;
      case "format":
        fe = { field: base, rule: "format", messageKey: "validation.format", params: { format: p.format } };
        break;
      case "minimum":
      case "exclusiveMinimum":
        fe = { field: base, rule: "minimum", messageKey: "validation.minimum", params: { limit: p.limit } };
        break;
      case "maximum":
      case "exclusiveMaximum":
        fe = { field: base, rule: "maximum", messageKey: "validation.maximum", params: { limit: p.limit } };
        break;
      case "enum":
      case "const":
        fe = {
          field: base,
          rule: "enum",
          messageKey: "validation.enum",
          params: { values: ((p.allowedValues as unknown[]) ?? [p.allowedValue]).join(", ") },
        };
        break;
      case "anyOf":
      case "oneOf": {
        const values = constsAt.get(e.instancePath);
        fe =
          values && values.length > 1
            ? { field: base, rule: "enum", messageKey: "validation.enum", params: { values: values.join(", ") } }
            : { field: base, rule: "invalid", messageKey: "validation.invalid" };
        break;
      }
      default:
        fe = { field: base, rule: e.keyword, messageKey: "validation.invalid" };
    }
    push(fe);
  }
  return out;

  function push(fe: FieldError) {
    const key = `${fe.field}|${fe.rule}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(fe);
  }
}

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Validates `value` against `schema`, throwing a 400 validation error that lists every bad field. */
export function validate<S extends TSchema>(schema: S, value: unknown): Static<S> {
  let check = compiled.get(schema);
  if (!check) {
    check = Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return value as Static<S>;
  const raw = [...check.Errors(value)] as unknown as RawValidationError[];
  throw errors.validation(toFieldErrors(raw));
}

/** Decimal quantities and money travel as strings in JSON: exact, never binary floats. */
export const DecimalString = (opts: { description?: string } = {}) =>
  Type.String({ pattern: "^-?\\d{1,15}(\\.\\d{1,6})?$", description: opts.description ?? "decimal number as a string", examples: ["12.5"] });

/** Shorthand: an object that rejects unknown properties. */
export const StrictObject = <T extends Record<string, TSchema>>(props: T, opts: Record<string, unknown> = {}) =>
  Type.Object(props, { additionalProperties: false, ...opts });

export { Type, type Static, type TSchema };
