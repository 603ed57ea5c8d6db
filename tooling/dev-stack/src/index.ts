export { startStack, repoRoot, type RunningStack, type StackOptions } from "./stack";
export { loadOrCreateDevSecrets } from "./secrets";
