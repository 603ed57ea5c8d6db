// The README's run command: the whole product on this machine, until Ctrl-C.
import { DEMO_USERS } from "@mad/db";

import { createStack } from "./stack";

const verbose = process.argv.includes("--verbose");
const stack = createStack({ verbose, seed: "pipeline" });

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  void stack.stop().then(() => process.exit(0));
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

const running = await stack.start().catch((error: unknown) => {
  if (!stopping)
    console.error(
      `\nThe product did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  process.exit(1);
});

console.log(`
  Model Artifacts & Delivery is running.

  Dashboard:  ${running.webUrl}/models
  Log in:     ${running.webUrl}/login  — pick a demo user (development login), e.g. ${DEMO_USERS[0].email}
  API:        ${running.webUrl}/api/trpc (Authorization: Bearer <access token>)
  Data:       .data/ (Postgres, stored adapters, development secrets)

  Demo jobs are completing now; their models appear within seconds. Ctrl-C stops everything.
  Logs: run with --verbose to see the ingester's and the simulator's logs.
`);
