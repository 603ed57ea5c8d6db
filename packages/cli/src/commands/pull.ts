/**
 * `mad pull <model id>`: pullModel with a display — progress bars on a terminal, JSON lines
 * otherwise (or with --json). Ctrl-C stops cleanly and keeps the `.part` files for a resume.
 */
import type { ModelsClient } from "@mad/api/client";

import { jsonLinesReporter } from "../display/json-lines";
import { progressBarsReporter } from "../display/progress-bars";
import { PullFailedError } from "../pull/errors";
import { pullModel } from "../pull/pull-model";

export interface PullCommandOptions {
  dir: string;
  files?: string[];
  json: boolean;
  concurrency: number;
}

export async function pullCommand(
  client: ModelsClient,
  modelId: string,
  options: PullCommandOptions,
): Promise<number> {
  const json = options.json || !process.stderr.isTTY;
  const writeLine = (line: string) => process.stdout.write(line);
  const bars = json ? null : progressBarsReporter(process.stderr);
  const onProgress = bars ? bars.onEvent : jsonLinesReporter(writeLine);
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  try {
    const result = await pullModel(client, modelId, options.dir, {
      onProgress,
      signal: abort.signal,
      concurrency: options.concurrency,
      ...(options.files ? { files: options.files } : {}),
    });
    bars?.stop();
    if (json) writeLine(`${JSON.stringify({ event: "done", ...result })}\n`);
    else {
      for (const file of result.files) {
        process.stderr.write(`✓ ${file.name}  sha256 ${file.sha256} (${file.status})\n`);
      }
      process.stderr.write(`All ${result.files.length} files verified in ${result.dir}\n`);
    }
    return 0;
  } catch (error) {
    bars?.stop();
    const failures = error instanceof PullFailedError ? error.failures : [error as Error];
    if (json) {
      writeLine(
        `${JSON.stringify({
          event: "error",
          message: failures.map((failure) => failure.message).join("\n"),
          failures: failures.map((failure) => ({
            kind: failure.name,
            file: (failure as { fileName?: string }).fileName ?? null,
            message: failure.message,
          })),
        })}\n`,
      );
    }
    for (const failure of failures) process.stderr.write(`mad pull: ${failure.message}\n`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
