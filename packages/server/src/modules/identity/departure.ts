import type { CommandContext } from "../../platform/pipeline.ts";

/** The person who leaves, and what the administrator decided for the things they made. */
export interface Departure {
  userId: number;
  companyId: number;
  username: string;
  reason: string | null;
  /** Keep the API tokens this person created running (an integration handed over to someone else). */
  keepTokens: boolean;
}

/**
 * Ends one kind of access a leaver holds, inside the disabling command's transaction, and says what it
 * ended (kept in that command's audit record). Modules that hold access of their own (temporary
 * grants, API tokens) register one; identity does not import them.
 */
export type DepartureHandler = (ctx: CommandContext, leaver: Departure) => Promise<Record<string, unknown>>;

const handlers = new Map<string, DepartureHandler>();

export function onDeparture(name: string, handler: DepartureHandler): void {
  handlers.set(name, handler);
}

/** Departure (IAM-8): every registered handler, in the caller's transaction, so all of it ends at once or none. */
export async function runDeparture(ctx: CommandContext, leaver: Departure): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, handler] of handlers) out[name] = await handler(ctx, leaver);
  return out;
}
