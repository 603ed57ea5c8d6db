import { seededRandom } from "./noise";
import { type JobSpec, type JobSpecInput, resolveJobSpec } from "./spec";

/** Hugging Face TrainingArguments-style training_args.json, varied per job id. */
export function trainingArgs(
  jobId: string,
  specInput: JobSpecInput | JobSpec = {},
): Record<string, unknown> {
  const spec = resolveJobSpec(specInput);
  const next = seededRandom(jobId, "training-args");
  const pick = <T>(options: readonly T[]): T => {
    const option = options[next() % options.length];
    if (option === undefined) throw new RangeError("pick() needs at least one option");
    return option;
  };
  return {
    output_dir: `/checkpoints/${jobId}`,
    base_model: spec.baseModel,
    learning_rate: pick([5e-5, 1e-4, 2e-4, 3e-4]),
    num_train_epochs: pick([1, 2, 3, 4]),
    per_device_train_batch_size: pick([1, 2, 4, 8]),
    per_device_eval_batch_size: 4,
    gradient_accumulation_steps: pick([1, 2, 4, 8]),
    warmup_ratio: 0.03,
    weight_decay: 0.0,
    lr_scheduler_type: pick(["cosine", "linear", "constant_with_warmup"]),
    optim: "adamw_torch",
    max_seq_length: pick([1024, 2048, 4096]),
    logging_steps: 10,
    eval_strategy: "steps",
    eval_steps: 100,
    save_strategy: "epoch",
    bf16: true,
    seed: next() % 100_000,
  };
}
