/**
 * `@mad/adapters/testing`: adapter facts for other packages' tests. The simulator's adapters
 * (./sim-adapter) stay inside this package: they need @mad/gpu-cluster-sim, a dev dependency.
 */
export { adapterFactsFixture, handWrittenAdapterFacts, readFactsOrThrow } from "./facts";
