/**
 * Brings up the real stack once for all specs (e2e/support/stacks.ts) and hands its coordinates
 * to the workers through the environment (E2E_STACK). Set E2E_SKIP_BUILD=1 to reuse an existing
 * production build.
 */
import { startStack } from "@mad/dev-stack";

import { e2eStackOptions, stackInfoOf } from "./support/stacks";

export default async function globalSetup() {
  const stack = await startStack(
    e2eStackOptions({
      reuseBuild: process.env.E2E_SKIP_BUILD === "1",
      log: (line) => console.log(`[stack] ${line}`),
    }),
  );
  const info = stackInfoOf(stack);
  if (info.seededBy !== "ingester") {
    await stack.stop();
    throw new Error(
      `The browser tests need artifacts stored by the real pipeline, but they were seeded by: ${String(info.seededBy)}`,
    );
  }
  process.env.E2E_STACK = JSON.stringify(info);
  console.log(`[e2e] stack ready at ${info.baseUrl}; artifacts seeded by: ${info.seededBy}`);
  return async () => {
    await stack.stop();
  };
}
