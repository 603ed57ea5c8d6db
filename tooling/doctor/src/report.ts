import type { CheckResult } from "./check";

const MARK = { pass: "✔", fail: "✘", skip: "–" } as const;

/** The checklist a person reads: one line per check, the fix under each failure. */
export function formatReport(results: CheckResult[]): string {
  const lines = ["Preflight checks", ""];
  for (const result of results) {
    lines.push(`${MARK[result.status]} ${result.name}: ${result.detail}`);
    if (result.status === "fail" && result.fix) lines.push(`    fix: ${result.fix}`);
  }
  const failed = results.filter((r) => r.status === "fail").length;
  lines.push(
    "",
    failed === 0
      ? `All ${results.length} checks passed.`
      : `${failed} of ${results.length} checks failed.`,
  );
  return `${lines.join("\n")}\n`;
}
