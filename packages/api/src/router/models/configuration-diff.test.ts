import { describe, expect, it } from "vitest";

import { adapterFactsFixture } from "@mad/db/factories";

import { type ComparedConfiguration, configurationDiff } from "./configuration-diff";

const configured = (
  hyperparameters: Record<string, unknown>,
  overrides: Partial<ComparedConfiguration> = {},
): ComparedConfiguration => ({
  configuration: {
    preset_id: "balanced",
    hyperparameters,
    gpu_config: { type: "A100-80GB", count: 2 },
  },
  adapter_facts: null,
  ...overrides,
});

const row = (rows: ReturnType<typeof configurationDiff>, group: string, key: string) =>
  rows.find((r) => r.group === group && r.key === key);

describe("configurationDiff", () => {
  it("lists every key across the models, each model's value, and whether they differ", () => {
    const rows = configurationDiff([
      configured({ learning_rate: 0.0002, batch_size: 8 }),
      configured({ learning_rate: 0.0001, batch_size: 8 }),
      configured({ learning_rate: 0.0002, batch_size: 8, warmup_steps: 50 }),
    ]);
    expect(row(rows, "hyperparameter", "learning_rate")).toEqual({
      group: "hyperparameter",
      key: "learning_rate",
      values: [0.0002, 0.0001, 0.0002],
      differs: true,
    });
    expect(row(rows, "hyperparameter", "batch_size")).toMatchObject({
      values: [8, 8, 8],
      differs: false,
    });
    // Only one model has it: the others show null and the row differs.
    expect(row(rows, "hyperparameter", "warmup_steps")).toMatchObject({
      values: [null, null, 50],
      differs: true,
    });
    expect(row(rows, "training", "gpu_config.count")).toMatchObject({
      values: [2, 2, 2],
      differs: false,
    });
    expect(rows.map((r) => `${r.group}:${r.key}`)).toEqual([
      "training:gpu_config.count",
      "training:gpu_config.type",
      "training:preset_id",
      "hyperparameter:batch_size",
      "hyperparameter:learning_rate",
      "hyperparameter:warmup_steps",
    ]);
  });

  it("flattens adapter facts, keeps arrays whole and compares objects regardless of key order", () => {
    const rows = configurationDiff([
      configured(
        { schedule: { kind: "cosine", warmup: 10 } },
        { adapter_facts: adapterFactsFixture() },
      ),
      configured(
        { schedule: { warmup: 10, kind: "cosine" } },
        {
          adapter_facts: adapterFactsFixture({
            rank: 16,
            target_modules: ["q_proj", "k_proj", "v_proj"],
            tensors: { count: 96 },
          }),
        },
      ),
    ]);
    expect(row(rows, "hyperparameter", "schedule.kind")).toMatchObject({ differs: false });
    expect(row(rows, "adapter", "rank")).toMatchObject({ values: [64, 16], differs: true });
    expect(row(rows, "adapter", "target_modules")).toMatchObject({
      values: [
        ["q_proj", "v_proj"],
        ["q_proj", "k_proj", "v_proj"],
      ],
      differs: true,
    });
    expect(row(rows, "adapter", "tensors.count")).toMatchObject({
      values: [128, 96],
      differs: true,
    });
    expect(row(rows, "adapter", "tensors.dtypes.F16")).toMatchObject({ differs: false });
    expect(row(rows, "adapter", "rank_pattern")).toMatchObject({
      values: [{}, {}],
      differs: false,
    });
    expect(row(rows, "adapter", "facts_version")).toBeUndefined();
  });

  it("treats a missing configuration or missing adapter facts as missing values, not as equal", () => {
    const rows = configurationDiff([
      { configuration: null, adapter_facts: null },
      configured({ learning_rate: 0.0002 }, { adapter_facts: adapterFactsFixture() }),
    ]);
    expect(row(rows, "hyperparameter", "learning_rate")).toMatchObject({
      values: [null, 0.0002],
      differs: true,
    });
    expect(row(rows, "adapter", "rank")).toMatchObject({ values: [null, 64], differs: true });
    // Recorded as null and not recorded both show as "not set": the row must not be highlighted.
    const nulls = configurationDiff([configured({ seed: null }), configured({})]);
    expect(row(nulls, "hyperparameter", "seed")).toMatchObject({
      values: [null, null],
      differs: false,
    });
    expect(
      configurationDiff([
        { configuration: null, adapter_facts: null },
        { configuration: null, adapter_facts: null },
      ]),
    ).toEqual([]);
  });
});
