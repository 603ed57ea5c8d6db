/**
 * `pnpm --filter @mad/ingester backfill:adapter-facts`: records adapter facts for every stored
 * artifact that has none (stored before facts were read at ingest). Safe to run again; needs the
 * database and storage configuration of the ingester, not the GPU cluster.
 */
import { createDb, resolveDatabase } from "@mad/db";
import { createLogger } from "@mad/logger";
import { createLocalDownloadHandler, createStorage } from "@mad/storage";

import { readBackfillEnv, storageConfigFromEnv } from "../env";
import { backfillAdapterFacts } from "./adapter-facts";
import type { FetchSigned } from "./object-reader";

async function main(): Promise<void> {
  const env = readBackfillEnv();
  const logger = createLogger({ name: "backfill-adapter-facts", level: env.LOG_LEVEL });
  const config = storageConfigFromEnv(env);
  const storage = createStorage(config);
  // Local signed URLs are served by the dashboard; here the same handler answers in-process.
  const fetchSigned: FetchSigned =
    config.backend === "local"
      ? createLocalDownloadHandler({ rootDir: config.rootDir, signingSecret: config.signingSecret })
      : (request) => fetch(request);
  const database = await resolveDatabase();
  const { db, close } = createDb(database.url, { max: 2, applicationName: "mad-backfill" });
  try {
    const report = await backfillAdapterFacts({ db, storage, fetchSigned, logger });
    logger.info(
      { filled: report.filled, skipped: report.skipped.length },
      "adapter facts back-filled",
    );
  } finally {
    await close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.exitCode = 1;
  createLogger({ name: "backfill-adapter-facts" }).error(
    { err: error instanceof Error ? error.message : String(error) },
    "back-fill failed",
  );
});
