import { getLang } from "../i18n/core";

/** One field error of a problem+json answer: `field` is a JSON pointer such as "/roles/0/role". */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

/** A failed API call. `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly path: string;

  constructor(problem: Problem, path: string) {
    super(problem.detail || problem.title || problem.code);
    this.name = "ApiError";
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail || problem.title || "";
    this.errors = problem.errors ?? [];
    this.path = path;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** Record version for optimistic locking; sent as `If-Match: "<version>"`. */
  version?: number;
  /** Sent as Idempotency-Key; generated when omitted on POST and PUT. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

let csrfToken: string | null = null;
let lastRequestAt = 0;
type Listener = (problem: ApiError) => void;
const authListeners = new Set<Listener>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** When the last API request was answered: every request also refreshes the server's idle clock. */
export function getLastRequestAt(): number {
  return lastRequestAt;
}

/**
 * Called for 401 `session_expired` / `unauthenticated` and 403 `password_change_required`
 * on any request except the login itself.
 */
export function onAuthProblem(fn: Listener): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

/** A random v4 UUID; crypto.randomUUID is missing on plain-http LAN addresses, getRandomValues is not. */
export function uuid(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === "function") {
    try {
      return c.randomUUID();
    } catch {
      // insecure context: build it by hand
    }
  }
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function buildUrl(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}${path.includes("?") ? "&" : "?"}${s}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": getLang() };
  const unsafe = method !== "GET" && method !== "HEAD";
  if (unsafe && csrfToken) headers["x-csrf-token"] = csrfToken;
  if (opts.version !== undefined) headers["If-Match"] = `"${opts.version}"`;
  if (method === "POST" || method === "PUT") headers["Idempotency-Key"] = opts.idempotencyKey ?? uuid();
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { method, headers, body, credentials: "same-origin", signal: opts.signal });
  } catch (e) {
    if ((e as Error)?.name === "AbortError") throw e;
    throw new ApiError({ status: 0, code: "network_error", detail: "" }, path);
  }
  lastRequestAt = Date.now();
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const p = (data && typeof data === "object" ? data : {}) as Partial<Problem>;
    const err = new ApiError(
      {
        status: res.status,
        code: typeof p.code === "string" ? p.code : `http_${res.status}`,
        detail: typeof p.detail === "string" ? p.detail : (p.title ?? res.statusText),
        title: p.title,
        errors: Array.isArray(p.errors) ? p.errors : [],
      },
      path,
    );
    const authProblem =
      (res.status === 401 && (err.code === "session_expired" || err.code === "unauthenticated")) ||
      (res.status === 403 && err.code === "password_change_required");
    if (authProblem && path !== "/api/auth/login") for (const fn of authListeners) fn(err);
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions["query"], signal?: AbortSignal) => request<T>("GET", path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, "body"> = {}) => request<T>("POST", path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, "body"> = {}) => request<T>("PUT", path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, "body"> = {}) => request<T>("PATCH", path, { ...opts, body }),
  delete: <T>(path: string, opts: Omit<RequestOptions, "body"> = {}) => request<T>("DELETE", path, opts),
};

/** `sort` for the API from an antd Table sorter: "-field" for descending. */
export function sortParam(field: string | undefined, order: "ascend" | "descend" | null | undefined): string | undefined {
  if (!field || !order) return undefined;
  return order === "descend" ? `-${field}` : field;
}
