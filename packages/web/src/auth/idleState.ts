/**
 * What the idle watcher knows, for code that is not under it (the auth provider deciding whether a
 * 401 means "signed out after inactivity" or "session ended" for another reason).
 */
export const idleState = {
  /** ms since epoch of the last user input (any tab); 0 when no watcher runs. */
  lastActivity: 0,
  /** When the warning starts counting down, ms after lastActivity. */
  warnAfterMs: Number.POSITIVE_INFINITY,
};

/** True when the user has been idle long enough that the warning is (or should be) showing. */
export function userLooksIdle(now = Date.now()): boolean {
  return idleState.lastActivity > 0 && now - idleState.lastActivity >= idleState.warnAfterMs;
}
