import { Transform, type TransformCallback } from "node:stream";

import { z } from "zod";

import { InvalidArtifactFileError } from "./errors";

/** adapter_config.json is a few hundred bytes; anything near this is not an adapter config. */
export const ADAPTER_CONFIG_MAX_BYTES = 1024 * 1024;

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
 * Passes the bytes through unchanged while keeping a copy (at most 1 MiB), and fails the stream
 * at its end unless they are an adapter config: JSON with `r`, `lora_alpha`, `target_modules` and
 * `base_model_name_or_path`.
 */
export class AdapterConfigValidator extends Transform {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  config: AdapterConfig | null = null;

  constructor(private readonly fileName = "adapter_config.json") {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > ADAPTER_CONFIG_MAX_BYTES) {
      callback(new InvalidArtifactFileError(this.fileName, `larger than ${ADAPTER_CONFIG_MAX_BYTES} bytes`));
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
    const result = adapterConfigSchema.safeParse(parsed);
    if (!result.success) {
      const problems = result.error.issues
        .map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`)
        .join("; ");
      callback(new InvalidArtifactFileError(this.fileName, `is not a LoRA adapter config (${problems})`));
      return;
    }
    this.config = result.data;
    callback();
  }
}
