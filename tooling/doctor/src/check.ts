/** One line of the preflight checklist. */
export interface CheckResult {
  name: string;
  status: "pass" | "fail" | "skip";
  /** What was found, in words; never a secret. */
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

export const pass = (name: string, detail: string): CheckResult => ({
  name,
  status: "pass",
  detail,
});

export const fail = (name: string, detail: string, fix: string): CheckResult => ({
  name,
  status: "fail",
  detail,
  fix,
});

export const skip = (name: string, detail: string): CheckResult => ({
  name,
  status: "skip",
  detail,
});

/** An error's message without anything that looks like a credential in a URL. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  return `${message}${cause && !message.includes(cause) ? ` (${cause})` : ""}`.replace(
    /\/\/[^/\s:@]+:[^/\s@]+@/g,
    "//[credentials]@",
  );
}

/** A URL fit for the checklist: no password, no query (signed URLs carry tokens there). */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.password = "";
    url.search = "";
    return url.toString();
  } catch {
    return "(not a URL)";
  }
}
