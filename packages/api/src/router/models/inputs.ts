/** The validated, bounded inputs of the models procedures (SPEC §6). */
import { z } from "zod";

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
