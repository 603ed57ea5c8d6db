/**
 * `pnpm --filter @mad/ingester build`: the production bundles in `dist/` — the worker
 * (`main.mjs`), the demo seed and the adapter-facts back-fill — run by `pnpm start:prod` with
 * plain Node, no loader. They read files of the workspace's sources at run time (migrations),
 * so they run from a checkout of the repository.
 */
import path from "node:path";

import { compile } from "@mad/bundle";

const packageDir = path.resolve(import.meta.dirname, "..");
const outDir = path.join(packageDir, "dist");
for (const [entry, name] of [
  ["src/main.ts", "main"],
  ["src/seed/seed.ts", "seed"],
  ["src/backfill/cli.ts", "backfill"],
] as const) {
  await compile(path.join(packageDir, entry), outDir, name);
}
process.stdout.write(`built ${outDir}/{main,seed,backfill}.mjs\n`);
