export type { CheckResult } from "./check";
export { formatReport } from "./report";
export { CHECK_NAMES, runDoctor } from "./run-doctor";
