import { App, type FormInstance } from "antd";
import { useCallback } from "react";
import { common } from "../i18n/common";
import { useT } from "../i18n/core";
import { ApiError, type FieldProblem } from "./client";

type NamePath = (string | number)[];

/** "/roles/0/role" → ["roles", 0, "role"] (JSON pointer, ~1 and ~0 unescaped). */
export function pointerToPath(pointer: string): NamePath {
  return pointer
    .replace(/^\//, "")
    .split("/")
    .filter((s) => s !== "")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The server prefixes each message with its field ("/newPassword must…"); under the field that is noise. */
export function fieldMessage(fp: FieldProblem): string {
  const prefix = `${fp.field || "/"} `;
  return fp.message.startsWith(prefix) ? fp.message.slice(prefix.length) : fp.message;
}

const samePath = (a: NamePath, b: NamePath) => a.length === b.length && a.every((x, i) => String(x) === String(b[i]));

export interface ErrorOptions {
  /** The form whose fields get the server's field errors. */
  form?: FormInstance;
  /** Server field pointer → form field path, where they differ. */
  fieldMap?: Record<string, NamePath>;
  /** Called on 409 version_conflict after the user is told (reload the record here). */
  onConflict?: () => void;
}

/**
 * Shows an API failure the standard way: `detail` in a message, each `errors[].field` under its form
 * field, a dialog for version conflicts. Session problems are handled globally (login page).
 */
export function useApiError() {
  const { message, modal } = App.useApp();
  const t = useT(common);
  return useCallback(
    (err: unknown, opts: ErrorOptions = {}) => {
      if (!(err instanceof ApiError)) {
        if ((err as Error)?.name === "AbortError") return;
        console.error(err);
        message.error(t("unexpectedError", { code: (err as Error)?.message ?? "client" }));
        return;
      }
      if (err.status === 0) {
        message.error(t("networkError"));
        return;
      }
      if ((err.status === 401 && (err.code === "session_expired" || err.code === "unauthenticated")) || err.code === "password_change_required") {
        return; // the auth provider sends the user to the login / change-password page
      }
      if (err.code === "version_conflict") {
        modal.warning({ title: t("conflictTitle"), content: t("conflictText"), okText: t("ok") });
        opts.onConflict?.();
        return;
      }
      const unmatched: string[] = [];
      if (err.errors.length > 0 && opts.form) {
        const registered = opts.form.getFieldsError().map((f) => f.name as NamePath);
        const byField = new Map<string, { name: NamePath; errors: string[] }>();
        for (const fe of err.errors) {
          const path = opts.fieldMap?.[fe.field] ?? pointerToPath(fe.field);
          if (!registered.some((r) => samePath(r, path))) {
            unmatched.push(fe.message);
            continue;
          }
          const k = JSON.stringify(path);
          const entry = byField.get(k) ?? { name: path, errors: [] };
          entry.errors.push(fieldMessage(fe));
          byField.set(k, entry);
        }
        if (byField.size > 0) {
          opts.form.setFields([...byField.values()]);
          const first = [...byField.values()][0];
          opts.form.scrollToField(first.name, { block: "center" });
        }
      } else {
        for (const fe of err.errors) unmatched.push(fe.message);
      }
      const text = [err.detail || t("unexpectedError", { code: err.code }), ...unmatched].join(" ");
      message.error(text);
    },
    [message, modal, t],
  );
}
