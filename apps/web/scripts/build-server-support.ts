/** Second half of `pnpm build`: server.js's helpers as plain JavaScript (see process-support). */
import path from "node:path";

import { compile } from "@mad/bundle";

const webDir = path.resolve(import.meta.dirname, "..");
await compile(
  path.join(webDir, "app/server/process-support.server.ts"),
  path.join(webDir, "build"),
  "server-support",
  // One metrics registry for this module and the Remix build (which imports prom-client too).
  { external: ["prom-client"] },
);
