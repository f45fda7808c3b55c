import { type Lang, translate } from "./i18n.ts";

export interface FieldError {
  /** JSON pointer-like path of the field, e.g. "/lines/0/qty". */
  field: string;
  /** Stable rule name, e.g. "required", "maxLength", "decimal". */
  rule: string;
  messageKey: string;
  params?: Record<string, unknown>;
}

/**
 * An expected failure with a stable `code`, an HTTP status, and a message key translated per caller
 * (RFC 9457 problem details on the wire). Anything that is not an AppError is a bug and answers 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldError[] = [],
  ) {
    super(`${code}: ${translate(messageKey, "en-US", params)}`);
  }

  toProblem(lang: Lang, instance?: string): Problem {
    return {
      type: `https://kaiwu.dev/problems/${this.code}`,
      title: translate(this.messageKey, lang, this.params),
      status: this.status,
      code: this.code,
      detail: translate(this.messageKey, lang, this.params),
      instance,
      ...(this.fields.length > 0
        ? {
            errors: this.fields.map((f) => ({
              field: f.field,
              rule: f.rule,
              message: `${f.field || "/"} ${translate(f.messageKey, lang, f.params)}`,
            })),
          }
        : {}),
    };
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: { field: string; rule: string; message: string }[];
}

export const errors = {
  validation: (fields: FieldError[]) => new AppError(400, "validation_failed", "error.validation", {}, fields),
  field: (field: string, rule: string, messageKey: string, params?: Record<string, unknown>) =>
    new AppError(400, "validation_failed", "error.validation", {}, [{ field, rule, messageKey, params }]),
  unauthenticated: () => new AppError(401, "unauthenticated", "error.unauthenticated"),
  sessionExpired: () => new AppError(401, "session_expired", "error.session_expired"),
  forbidden: (permission: string) => new AppError(403, "forbidden", "error.forbidden", { permission }),
  notFound: (entity: string) => new AppError(404, "not_found", "error.not_found", { entity }),
  versionConflict: (current: number) => new AppError(409, "version_conflict", "error.conflict_version", { current }),
  versionRequired: () => new AppError(428, "version_required", "error.version_required"),
  unique: (field: string) =>
    new AppError(409, "already_exists", "error.unique", { field }, [{ field: `/${field}`, rule: "unique", messageKey: "validation.unique" }]),
  idempotencyMismatch: () => new AppError(422, "idempotency_key_reused", "error.idempotency_mismatch"),
  csrf: () => new AppError(403, "csrf_failed", "error.csrf"),
  tooManyRequests: () => new AppError(429, "too_many_requests", "error.too_many_requests"),
  /** A business rule was broken: 422 with the module's own message key. */
  rule: (code: string, messageKey: string, params: Record<string, unknown> = {}) => new AppError(422, code, messageKey, params),
};
