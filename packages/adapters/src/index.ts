export { type AdapterFacts, type AdapterFactsResult, readAdapterFacts } from "./facts";
export * from "./serving/index";
export {
  elementsOf,
  type TensorEntry,
  type TensorFacts,
  type TensorKind,
  tensorKind,
} from "./tensors";
