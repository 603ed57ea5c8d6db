import { z } from "zod";

/**
 * A file name from the cluster becomes the last segment of `{user_id}/{artifact_id}/{name}`, so it
 * must be one plain segment: no separators, no `.`/`..`, no hidden files, no control or odd
 * characters that a shell, a URL or another storage backend could read differently.
 */
export const artifactFileNameSchema = z
  .string()
  .min(1, "file name is empty")
  .max(255, "file name is longer than 255 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    "file name may contain only letters, digits, '.', '_' and '-', and must start with a letter or digit",
  )
  .refine((name) => !name.includes(".."), "file name must not contain '..'");

export function contentTypeFor(fileName: string): string {
  if (fileName.endsWith(".json")) return "application/json";
  if (fileName.endsWith(".txt") || fileName.endsWith(".md")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}
