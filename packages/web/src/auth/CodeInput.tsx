import { Input, type InputRef } from "antd";
import { forwardRef } from "react";

interface Props {
  value?: string;
  onChange?: (value: string) => void;
  /** Called once six digits are in (the forms submit then, so nobody has to reach for the button). */
  onComplete?: (code: string) => void;
  autoFocus?: boolean;
  disabled?: boolean;
  testId?: string;
  ariaLabel?: string;
}

/**
 * The 6-digit authenticator code: a numeric keypad on phones, `one-time-code` so password managers can
 * fill it, anything but digits dropped (a pasted "123 456" works).
 */
export const CodeInput = forwardRef<InputRef, Props>(function CodeInput({ value, onChange, onComplete, autoFocus, disabled, testId, ariaLabel }, ref) {
  return (
    <Input
      ref={ref}
      value={value}
      onChange={(e) => {
        const digits = e.target.value.replace(/\D/g, "").slice(0, 6);
        onChange?.(digits);
        if (digits.length === 6 && digits !== value) onComplete?.(digits);
      }}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={7}
      placeholder="123456"
      autoFocus={autoFocus}
      disabled={disabled}
      aria-label={ariaLabel}
      data-testid={testId}
      size="large"
      style={{ fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: 22, letterSpacing: 6, textAlign: "center" }}
    />
  );
});

/** "ABCDE FGHJK", "abcdefghjk" → "ABCDE-FGHJK"; null when it cannot be a recovery code. */
export function normaliseRecoveryCode(input: string): string | null {
  const raw = input.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
  return raw.length === 10 ? `${raw.slice(0, 5)}-${raw.slice(5)}` : null;
}
