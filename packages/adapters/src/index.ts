export { readAdapterFacts, type AdapterFacts, type AdapterFactsResult } from "./facts";
export {
  elementsOf,
  tensorKind,
  type TensorEntry,
  type TensorFacts,
  type TensorKind,
} from "./tensors";
export * from "./serving/index";
