/**
 * `pnpm exec tsx e2e/support/serve.ts [--fallback] [--reuse-build]`: the e2e stack for a person
 * to look at (prints the URL and a login cookie); Ctrl-C stops everything.
 */
import { writeFileSync } from "node:fs";

import { startStack } from "./stack";

const stack = await startStack({
  seed: process.argv.includes("--fallback") ? "fallback" : "pipeline",
  nodeEnv: "test",
  enableDevLogin: true,
  reuseBuild: process.argv.includes("--reuse-build"),
});
writeFileSync("/tmp/mad-web-stack.json", JSON.stringify(stack.info, null, 2));
console.log(JSON.stringify(stack.info, null, 2));
const shutdown = () => {
  void stack.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
