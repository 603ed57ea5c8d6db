/**
 * Brings up the real stack once for all specs and hands its coordinates to the workers through
 * the environment (E2E_STACK). Set E2E_SKIP_BUILD=1 to reuse an existing production build and
 * E2E_SEED=fallback to skip the simulator + ingester pipeline.
 */
import { startStack } from "./support/stack";

export default async function globalSetup() {
  const stack = await startStack({
    seed: process.env.E2E_SEED === "fallback" ? "fallback" : "pipeline",
    // Not "production": the development login must exist so the login flow itself is tested.
    // The client bundle is the production build either way.
    nodeEnv: "test",
    enableDevLogin: true,
    reuseBuild: process.env.E2E_SKIP_BUILD === "1",
  });
  process.env.E2E_STACK = JSON.stringify(stack.info);
  console.log(
    `[e2e] stack ready at ${stack.info.baseUrl}; artifacts seeded by: ${stack.info.seededBy}`,
  );
  return async () => {
    await stack.stop();
  };
}
