export {
  createStack,
  startStack,
  repoRoot,
  type RunningStack,
  type Stack,
  type StackOptions,
} from "./stack";
export { loadOrCreateDevSecrets } from "./secrets";
