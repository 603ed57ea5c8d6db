/** The validated, bounded inputs of the models procedures (SPEC §6). */
import { z } from "zod";

import { ALIAS_PATTERN } from "@mad/db";

import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS } from "../../limits";

const modelId = z.uuid({ error: "must be a UUID" });

// Postgres text cannot hold NUL, and no one searches for control characters.
const searchText = z
  .string()
  .trim()
  .max(100, "must be at most 100 characters")
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), "must not contain control characters");

export const listModelsInput = z
  .object({
    page: z.int().min(1).max(1_000_000).default(1),
    limit: z.int().min(1).max(100).default(12),
    sort: z.enum(["created_at", "quality"]).default("created_at"),
    q: searchText.optional(),
  })
  .prefault({});

export type ListModelsInput = z.output<typeof listModelsInput>;

export const modelIdInput = z.object({ modelId });

export type ModelIdInput = z.output<typeof modelIdInput>;

export const downloadInput = z.object({
  modelId,
  files: z
    .array(z.string().min(1).max(255))
    .min(1, "must name at least one file (or leave it out for all files)")
    .max(100)
    .optional(),
});

export type DownloadInput = z.output<typeof downloadInput>;

export const metricsInput = z.object({
  modelId,
  maxPoints: z.int().min(10).max(10_000).default(300),
});

export type MetricsInput = z.output<typeof metricsInput>;

// Bounds as in the lifecycle (updateArtifactDetails) and the table's checks; checked here first
// so an oversized body is refused before it reaches Postgres.
export const updateModelInput = z
  .object({
    modelId,
    name: z.string().max(200, "must be at most 200 characters").optional(),
    description: z
      .string()
      .max(10_000, "must be at most 10000 characters")
      .refine((value) => !value.includes("\u0000"), "must not contain NUL")
      .nullable()
      .optional(),
    tags: z.array(z.string().max(40, "must be at most 40 characters")).max(20).optional(),
  })
  .refine(
    (input) =>
      input.name !== undefined || input.description !== undefined || input.tags !== undefined,
    "give a name, a description or tags",
  );

export type UpdateModelInput = z.output<typeof updateModelInput>;

const alias = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    ALIAS_PATTERN,
    "must be 1–32 lower-case letters, digits or dashes, starting with a letter",
  );

export const aliasInput = z.object({ modelId, alias });

export type AliasInput = z.output<typeof aliasInput>;

export const resolveAliasInput = z.object({
  datasetId: z.uuid({ error: "must be a UUID" }),
  alias,
});

export type ResolveAliasInput = z.output<typeof resolveAliasInput>;

export const compareInput = z.object({
  modelIds: z
    .array(modelId)
    .min(COMPARE_MIN_MODELS, `must name at least ${COMPARE_MIN_MODELS} models`)
    .max(COMPARE_MAX_MODELS, `must name at most ${COMPARE_MAX_MODELS} models`)
    .refine(
      // UUIDs compare case-insensitively; Postgres would match "A…" and "a…" to one row.
      (ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length,
      "must name distinct models",
    ),
  // Per model: four curves of 300 points is as much as one chart shows.
  maxPoints: z.int().min(10).max(2_000).default(300),
});

export type CompareInput = z.output<typeof compareInput>;
