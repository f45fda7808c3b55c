import { useQuery } from "@tanstack/react-query";
import type { RuleObject } from "antd/es/form";
import { api } from "../api/client";
import { useLang, useT } from "../i18n/core";
import { mfaText } from "./i18n";

/** GET /api/auth/password-policy: what a new password must satisfy (any signed-in user). */
export interface PasswordPolicy {
  minLength: number;
  minClasses: number;
  history: number;
  maxAgeDays: number;
}

export function usePasswordPolicy() {
  return useQuery({
    queryKey: ["auth", "password-policy"],
    queryFn: () => api.get<PasswordPolicy>("/api/auth/password-policy"),
    staleTime: 60_000,
    // Before the first password change the server answers 403: the hint falls back to general advice.
    retry: false,
  });
}

const CLASSES = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/];

/** The policy's length and character-class rules, checked as the user types; the server checks everything again. */
export function usePolicyRules(policy: PasswordPolicy | undefined): RuleObject[] {
  const t = useT(mfaText);
  if (!policy) return [];
  return [
    {
      validator: (_, value: string | undefined) => {
        if (!value) return Promise.resolve();
        if (value.length < policy.minLength) return Promise.reject(new Error(t("tooShort", { n: policy.minLength })));
        if (CLASSES.filter((re) => re.test(value)).length < policy.minClasses) return Promise.reject(new Error(t("tooFewClasses", { n: policy.minClasses })));
        return Promise.resolve();
      },
    },
  ];
}

/** The password rules in words, under every "new password" field. */
export function PasswordPolicyHint({ policy }: { policy: PasswordPolicy | undefined }) {
  const t = useT(mfaText);
  const { lang } = useLang();
  if (!policy) return <span data-testid="password-policy-hint">{t("policyHintGeneric")}</span>;
  const parts = [t("policyHint", { minLength: policy.minLength, minClasses: policy.minClasses })];
  if (policy.history > 0) parts.push(t("policyHistory", { history: policy.history }));
  if (policy.maxAgeDays > 0) parts.push(t("policyMaxAge", { days: policy.maxAgeDays }));
  return (
    <span data-testid="password-policy-hint" data-min-length={policy.minLength}>
      {parts.join(lang === "zh-CN" ? "" : " ")}
    </span>
  );
}
