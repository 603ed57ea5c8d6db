/**
 * `mad wait <model-id>`: blocks until the model is stored (exit 0) or its copy failed for good or
 * it was deleted (exit 1, with the reason), following models.events — so a pipeline can train,
 * wait, then deploy without polling. It subscribes, then reads the model (already stored: done).
 * The server may register the subscription a moment after that read, and a stream can break and
 * come back: as a safety net it reads the model again every RECHECK_MS, so a lost event costs at
 * most that long. `--timeout` gives up with exit 124, as timeout(1) does.
 */
import type { ModelsClient, RouterOutputs } from "@mad/api/client";

type ModelOutput = RouterOutputs["models"]["byId"];

const RECHECK_MS = 15_000;
export const WAIT_TIMED_OUT = 124;

export interface WaitOptions {
  json: boolean;
  timeoutSeconds?: number;
  write: (text: string) => void;
  writeError: (text: string) => void;
}

function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export async function waitForModel(
  client: ModelsClient,
  modelId: string,
  options: WaitOptions,
): Promise<number> {
  const say = (event: Record<string, unknown>, human: string) =>
    options.json ? options.write(`${JSON.stringify(event)}\n`) : options.write(`${human}\n`);

  let settle!: (code: number) => void;
  const settled = new Promise<number>((resolve) => (settle = resolve));
  let done = false;
  const finish = (code: number) => {
    if (done) return;
    done = true;
    settle(code);
  };

  const check = async () => {
    let model: ModelOutput;
    try {
      model = await client.models.byId.query({ modelId });
    } catch (error) {
      options.writeError(`mad: ${(error as Error).message}\n`);
      finish(1);
      return;
    }
    if (model.status === "stored") {
      say(
        { event: "stored", model_id: model.id, model_name: model.name },
        `${model.name} is stored (${model.id})`,
      );
      finish(0);
    } else if (model.status === "failed") {
      say(
        { event: "failed", model_id: model.id, reason: model.failure_reason },
        `${model.name} failed: ${model.failure_reason ?? "no reason recorded"}`,
      );
      finish(1);
    }
  };

  const subscription = client.models.events.subscribe(undefined, {
    onData: (event) => {
      if (done || event.model_id !== modelId) return;
      if (event.kind === "progress") {
        say(
          {
            event: "progress",
            model_id: modelId,
            bytes_copied: event.bytes_copied,
            bytes_total: event.bytes_total,
          },
          `copied ${formatBytes(event.bytes_copied)}${event.bytes_total === null ? "" : ` of ${formatBytes(event.bytes_total)}`}`,
        );
      } else if (event.kind === "deleted") {
        say({ event: "deleted", model_id: modelId }, "the model was deleted");
        finish(1);
      } else if (event.kind === "stored" || event.kind === "failed") {
        void check();
      }
    },
    onError: (error) => {
      options.writeError(`mad: live events failed (${error.message}); reading the model instead\n`);
    },
  });
  const recheck = setInterval(() => void check(), RECHECK_MS);
  const timeout =
    options.timeoutSeconds === undefined
      ? null
      : setTimeout(() => {
          options.writeError(
            `mad: model ${modelId} was not ready within ${options.timeoutSeconds} s\n`,
          );
          finish(WAIT_TIMED_OUT);
        }, options.timeoutSeconds * 1000);
  try {
    await check();
    return await settled;
  } finally {
    subscription.unsubscribe();
    clearInterval(recheck);
    if (timeout) clearTimeout(timeout);
  }
}
