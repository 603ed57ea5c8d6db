export { THROWAWAY_STACK_PREFIX } from "./database";
export { onCpus } from "./processes";
export { type DevSecrets, loadOrCreateDevSecrets } from "./secrets";
export {
  createStack,
  repoRoot,
  type RunningStack,
  type SeedFunction,
  type Stack,
  type StackAddresses,
  type StackOptions,
  startStack,
} from "./stack";
