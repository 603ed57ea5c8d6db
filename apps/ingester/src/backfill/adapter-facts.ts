/**
 * One-off back-fill of model_artifacts.adapter_facts for artifacts stored before facts were read
 * at ingest: reads adapter_config.json and the safetensors header from storage and records the
 * same facts an ingestion would (see ../ingest/adapter-facts.ts). Idempotent and resumable: only
 * rows whose facts are still null are read and written.
 */
import { and, asc, eq, gt, isNull } from "drizzle-orm";

import { type Database, modelArtifacts } from "@mad/db";
import type { Logger } from "@mad/logger";
import type { ArtifactStorage } from "@mad/storage";

import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  adapterFactsFrom,
  type FactsOutcome,
} from "../ingest/adapter-facts";
import { ADAPTER_CONFIG_MAX_BYTES, SAFETENSORS_MAX_HEADER_BYTES } from "../validate";
import { type FetchSigned, readObjectRange } from "./object-reader";

export interface BackfillDeps {
  db: Database;
  storage: ArtifactStorage;
  fetchSigned: FetchSigned;
  logger: Logger;
  batchSize?: number;
}

export interface BackfillReport {
  filled: number;
  skipped: Array<{ artifactId: string; reason: string }>;
}

async function readTensors(deps: BackfillDeps, path: string) {
  const prefix = await readObjectRange(deps.storage, deps.fetchSigned, path, 0, 8);
  if (prefix.length < 8) throw new Error(`${ADAPTER_WEIGHTS_FILE} is shorter than 8 bytes`);
  const length = prefix.readBigUInt64LE(0);
  if (length === 0n || length > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new Error(`${ADAPTER_WEIGHTS_FILE} has a header length of ${length}`);
  }
  const header = await readObjectRange(deps.storage, deps.fetchSigned, path, 8, Number(length));
  const parsed = JSON.parse(header.toString("utf8")) as Record<string, unknown>;
  return Object.entries(parsed)
    .filter(([name]) => name !== "__metadata__")
    .map(([name, value]) => {
      const tensor = value as { dtype?: unknown; shape?: unknown };
      return {
        name,
        dtype: typeof tensor.dtype === "string" ? tensor.dtype : "unknown",
        shape: Array.isArray(tensor.shape) ? tensor.shape.filter((d) => typeof d === "number") : [],
      };
    });
}

async function factsOf(
  deps: BackfillDeps,
  files: Array<{ name: string; storage_path: string }>,
): Promise<FactsOutcome> {
  const config = files.find((file) => file.name === ADAPTER_CONFIG_FILE);
  const weights = files.find((file) => file.name === ADAPTER_WEIGHTS_FILE);
  if (!config) return { facts: null, reason: `no ${ADAPTER_CONFIG_FILE}` };
  if (!weights) return { facts: null, reason: `no ${ADAPTER_WEIGHTS_FILE}` };
  try {
    const bytes = await readObjectRange(
      deps.storage,
      deps.fetchSigned,
      config.storage_path,
      0,
      ADAPTER_CONFIG_MAX_BYTES,
    );
    const parsedConfig: unknown = JSON.parse(bytes.toString("utf8"));
    return adapterFactsFrom(parsedConfig, await readTensors(deps, weights.storage_path));
  } catch (error) {
    return { facts: null, reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function backfillAdapterFacts(deps: BackfillDeps): Promise<BackfillReport> {
  const report: BackfillReport = { filled: 0, skipped: [] };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await deps.db
      .select({ id: modelArtifacts.id, files: modelArtifacts.files })
      .from(modelArtifacts)
      .where(
        and(
          eq(modelArtifacts.status, "stored"),
          isNull(modelArtifacts.deletedAt),
          isNull(modelArtifacts.adapterFacts),
          gt(modelArtifacts.id, after),
        ),
      )
      .orderBy(asc(modelArtifacts.id))
      .limit(deps.batchSize ?? 50);
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = row.id;
      const outcome = await factsOf(deps, row.files);
      if (outcome.facts === null) {
        report.skipped.push({ artifactId: row.id, reason: outcome.reason });
        deps.logger.warn({ artifact_id: row.id, reason: outcome.reason }, "no adapter facts");
        continue;
      }
      await deps.db
        .update(modelArtifacts)
        .set({ adapterFacts: outcome.facts })
        .where(and(eq(modelArtifacts.id, row.id), isNull(modelArtifacts.adapterFacts)));
      report.filled += 1;
    }
  }
}
