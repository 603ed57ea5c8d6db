export {
  createStack,
  startStack,
  repoRoot,
  type RunningStack,
  type SeedFunction,
  type Stack,
  type StackAddresses,
  type StackOptions,
} from "./stack";
export { THROWAWAY_STACK_PREFIX } from "./database";
export { loadOrCreateDevSecrets, type DevSecrets } from "./secrets";
