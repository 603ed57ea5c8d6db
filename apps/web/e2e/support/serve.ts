/**
 * `pnpm exec tsx e2e/support/serve.ts [--factories] [--reuse-build]`: the e2e stack for a person
 * to look at (its coordinates, secrets included, in /tmp/mad-web-stack.json while it runs);
 * Ctrl-C stops everything.
 */
import { rmSync, writeFileSync } from "node:fs";

import { createStack } from "@mad/dev-stack";

import { e2eStackOptions, stackInfoOf } from "./stacks";

const infoFile = "/tmp/mad-web-stack.json";
const stack = createStack(
  e2eStackOptions({
    reuseBuild: process.argv.includes("--reuse-build"),
    factories: process.argv.includes("--factories"),
    log: (line) => console.log(`[stack] ${line}`),
  }),
);
const shutdown = () => {
  void stack.stop().then(() => {
    rmSync(infoFile, { force: true });
    process.exit(0);
  });
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

const info = stackInfoOf(await stack.start());
writeFileSync(infoFile, JSON.stringify(info, null, 2), { mode: 0o600 });
console.log(`Dashboard: ${info.baseUrl}/models (stack details in ${infoFile})`);
