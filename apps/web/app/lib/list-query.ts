/**
 * The model list's URL state (`/models?sort=quality&q=support&page=2`). Anything a person may
 * have mistyped or edited by hand is normalised to a sensible value; only a search text we can
 * not run is refused, with a message that says why.
 */
import { z } from "zod";

export const PAGE_SIZE = 12;
export const MAX_SEARCH_LENGTH = 100;
const MAX_PAGE = 1_000_000;

export type SortKey = "recent" | "quality";

export const SORT_OPTIONS: { value: SortKey; label: string }[] = [
  { value: "recent", label: "Most recent" },
  { value: "quality", label: "Highest quality" },
];

export interface ListQuery {
  page: number;
  limit: number;
  sort: SortKey;
  q: string;
}

export type ParsedListQuery = { ok: true; query: ListQuery } | { ok: false; message: string };

const pageSchema = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);
const limitSchema = z.coerce
  .number()
  .int()
  .catch(PAGE_SIZE)
  .transform((n) => Math.min(100, Math.max(1, n)));

export function parseListQuery(params: URLSearchParams): ParsedListQuery {
  const rawSort = params.get("sort");
  const sort: SortKey = rawSort === "quality" ? "quality" : "recent";
  const rawPage = params.get("page");
  const page = rawPage === null || rawPage.trim() === "" ? 1 : pageSchema.parse(rawPage.trim());
  const rawLimit = params.get("limit");
  const limit =
    rawLimit === null || rawLimit.trim() === "" ? PAGE_SIZE : limitSchema.parse(rawLimit.trim());
  const q = (params.get("q") ?? "").trim();
  if (q.length > MAX_SEARCH_LENGTH) {
    return {
      ok: false,
      message: `Your search is ${q.length} characters long; searches can be at most ${MAX_SEARCH_LENGTH} characters. Try a shorter part of the model or dataset name.`,
    };
  }
  if (/[\u0000-\u001f\u007f]/.test(q)) {
    return {
      ok: false,
      message: "Your search contains control characters. Use letters, digits and punctuation only.",
    };
  }
  return { ok: true, query: { page, limit, sort, q } };
}

/** The list URL for a state, leaving defaults out so URLs stay short and shareable. */
export function listHref(query: Partial<ListQuery>): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.sort && query.sort !== "recent") params.set("sort", query.sort);
  if (query.limit && query.limit !== PAGE_SIZE) params.set("limit", String(query.limit));
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `/models?${search}` : "/models";
}

/**
 * The `back` parameter of a model page: a list URL to return to. Only `/models` with its own
 * query survives; anything else (another path, another host) falls back to the plain list.
 */
export function safeBackHref(value: string | null): string {
  if (!value || value.length > 512 || !value.startsWith("/models")) return "/models";
  try {
    const url = new URL(value, "http://same.invalid");
    if (url.origin !== "http://same.invalid" || url.pathname !== "/models") return "/models";
    const parsed = parseListQuery(url.searchParams);
    return parsed.ok ? listHref(parsed.query) : "/models";
  } catch {
    return "/models";
  }
}
