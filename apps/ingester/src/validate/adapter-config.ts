import { Transform, type TransformCallback } from "node:stream";

import { z } from "zod";

import { InvalidArtifactFileError } from "./errors";

/** adapter_config.json is a few hundred bytes; anything near this is not an adapter config. */
export const ADAPTER_CONFIG_MAX_BYTES = 1024 * 1024;
/** Other JSON files (training_args.json, …) are small too; this only bounds memory. */
export const JSON_FILE_MAX_BYTES = 16 * 1024 * 1024;

export const adapterConfigSchema = z
  .object({
    r: z.number().int().positive(),
    lora_alpha: z.number().positive(),
    target_modules: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]),
    base_model_name_or_path: z.string().min(1),
  })
  .loose();

export type AdapterConfig = z.infer<typeof adapterConfigSchema>;

/**
 * Passes the bytes through unchanged while keeping a copy (at most `maxBytes`), and fails the
 * stream at its end unless they are JSON (and, with a schema, of that shape).
 */
export class JsonFileValidator extends Transform {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  value: unknown = null;

  constructor(
    private readonly fileName: string,
    private readonly maxBytes: number,
    private readonly schema: z.ZodType | null,
    private readonly describe = "JSON",
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(
        new InvalidArtifactFileError(this.fileName, `is larger than ${this.maxBytes} bytes`),
      );
      return;
    }
    this.chunks.push(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(this.chunks).toString("utf8"));
    } catch {
      callback(new InvalidArtifactFileError(this.fileName, "is not valid JSON"));
      return;
    }
    this.chunks.length = 0;
    if (this.schema) {
      const result = this.schema.safeParse(parsed);
      if (!result.success) {
        const problems = result.error.issues
          .slice(0, 5)
          .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
          .join("; ");
        callback(
          new InvalidArtifactFileError(this.fileName, `is not a ${this.describe} (${problems})`),
        );
        return;
      }
      parsed = result.data;
    }
    this.value = parsed;
    callback();
  }
}

/** adapter_config.json: JSON with `r`, `lora_alpha`, `target_modules`, `base_model_name_or_path`. */
export function adapterConfigValidator(fileName = "adapter_config.json"): JsonFileValidator {
  return new JsonFileValidator(
    fileName,
    ADAPTER_CONFIG_MAX_BYTES,
    adapterConfigSchema,
    "LoRA adapter config",
  );
}
