import { ApiError, type Problem, uuid } from "../../api/client";
import { getLang } from "../../i18n/core";

export interface PublicDepartment {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  companyId: number;
  companyNameZh: string;
  companyNameEn: string;
}

export interface RegistrationForm {
  departments: PublicDepartment[];
  passwordPolicy: { minLength: number; minClasses: number };
  proofs: { maxFiles: number; maxBytes: number; types: string[] };
}

export interface ApplicationStatus {
  number: string;
  status: "pending" | "approved" | "rejected";
  fullName: string;
  username: string;
  jobTitle: string;
  departmentNameZh: string;
  departmentNameEn: string;
  submittedAt: string;
  decidedAt: string | null;
  reason: string | null;
  levelNameZh: string | null;
  levelNameEn: string | null;
  currentLevel: number | null;
  levelCount: number;
}

/**
 * The public pages talk to the server without the session cookie (credentials omitted): an
 * application is anonymous even when someone happens to be signed in in this browser.
 */
export async function publicRequest<T>(method: "GET" | "POST", path: string, body?: FormData | object): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": getLang() };
  if (method === "POST") headers["Idempotency-Key"] = uuid();
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: "omit" });
  } catch {
    throw new ApiError({ status: 0, code: "network_error", detail: "" }, path);
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const p = (data && typeof data === "object" ? data : {}) as Partial<Problem>;
    throw new ApiError(
      {
        status: res.status,
        code: typeof p.code === "string" ? p.code : `http_${res.status}`,
        detail: typeof p.detail === "string" ? p.detail : res.statusText,
        errors: Array.isArray(p.errors) ? p.errors : [],
      },
      path,
    );
  }
  return data as T;
}
