// The console's only way to the data: /api/v1 through openapi-fetch, typed by schema.d.ts, which
// openapi-typescript generates from openapi/openapi.json at build time (so tsc fails when they drift).
import createClient from "openapi-fetch";
import { currentToken, endSession } from "../auth";
import { lang, t } from "../i18n";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export const api = createClient<paths>({ baseUrl: "" });

api.use({
  async onRequest({ request }) {
    const token = await currentToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    // The API writes its refusals in the console's language.
    request.headers.set("Accept-Language", lang.get());
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) endSession("expired");
    return response;
  },
});

/** An answer other than 2xx: its status and the API's message (in the console's language). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: unknown = {},
  ) {
    super(message);
  }
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a call, or an ApiError: `const me = await ok(api.GET("/api/v1/me"))`. */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, t("app.networkError"));
  }
  if (!result.response.ok) {
    const body = (result.error ?? {}) as { message?: string; errors?: unknown };
    throw new ApiError(result.response.status, body.message ?? result.response.statusText, body.errors);
  }
  return result.data as T;
}

/** Every page of a list (X-Pagination's total_pages), at most `limit` pages: `allPages((page) => api.GET(..., page))`. */
export async function allPages<T>(call: (page: number) => Promise<Result<T[]>>, limit = 20): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= limit; page++) {
    const result = await call(page).catch(() => {
      throw new ApiError(0, t("app.networkError"));
    });
    rows.push(...(await ok(Promise.resolve(result))));
    const header = result.response.headers.get("X-Pagination");
    const total = header ? ((JSON.parse(header) as { total_pages?: number }).total_pages ?? 1) : 1;
    if (page >= total) break;
  }
  return rows;
}
