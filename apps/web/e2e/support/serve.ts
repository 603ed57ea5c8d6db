/**
 * `pnpm exec tsx e2e/support/serve.ts [--fallback] [--reuse-build]`: the e2e stack for a person
 * to look at (prints its coordinates, secrets included, into /tmp/mad-web-stack.json); Ctrl-C
 * stops everything.
 */
import { writeFileSync } from "node:fs";

import { createStack } from "@mad/dev-stack";

import { e2eStackOptions, stackInfoOf } from "./stacks";

const stack = createStack(
  e2eStackOptions({
    reuseBuild: process.argv.includes("--reuse-build"),
    fallback: process.argv.includes("--fallback"),
    log: (line) => console.log(`[stack] ${line}`),
  }),
);
const shutdown = () => {
  void stack.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

const info = stackInfoOf(await stack.start());
writeFileSync("/tmp/mad-web-stack.json", JSON.stringify(info, null, 2), { mode: 0o600 });
console.log(`Dashboard: ${info.baseUrl}/models (stack details in /tmp/mad-web-stack.json)`);
