import { describe, expect, it } from "vitest";

import { type AdapterFacts, servingCompatibility } from "@mad/adapters";
import { type JobSpecInput, safetensorsLayout } from "@mad/gpu-cluster-sim";

import { storedArtifactOf, useTestWorld } from "../testing/world";
import { adapterFactsFrom } from "./adapter-facts";

const world = useTestWorld();

const ingest = (spec: JobSpecInput) => storedArtifactOf(world, spec);

const SIZE = 65536;

describe("adapter facts recorded at ingest, from the simulator's real files", () => {
  it.each<
    [string, JobSpecInput, { peft: string; vllm: string; flag?: number; blockers?: string[] }]
  >([
    ["rank 8", { rank: 8 }, { peft: "loads", vllm: "loads" }],
    ["rank 64", { rank: 64 }, { peft: "loads", vllm: "loads_with_flags", flag: 64 }],
    ["rank 256", { rank: 256 }, { peft: "loads", vllm: "loads_with_flags", flag: 256 }],
    [
      "rank 64 + modules_to_save lm_head",
      { rank: 64, modulesToSave: ["lm_head"] },
      { peft: "loads", vllm: "does_not_load", blockers: ["modules_to_save"] },
    ],
    [
      "rank 256 + DoRA",
      { rank: 256, useDora: true },
      { peft: "loads_with_flags", vllm: "does_not_load", blockers: ["use_dora"] },
    ],
    [
      "rank 8 + DoRA + embed_tokens",
      { rank: 8, useDora: true, modulesToSave: ["embed_tokens"] },
      {
        peft: "loads_with_flags",
        vllm: "does_not_load",
        blockers: ["modules_to_save", "use_dora"],
      },
    ],
  ])("%s", async (_label, spec, expected) => {
    const artifact = await ingest({ ...spec, adapterSizeBytes: SIZE });
    const facts = artifact.adapterFacts as AdapterFacts;
    const layout = safetensorsLayout({ ...spec, adapterSizeBytes: SIZE });
    expect(facts).toMatchObject({
      rank: spec.rank,
      alpha: 2 * spec.rank!,
      base_model: "meta-llama/Llama-3.1-8B",
      task_type: "CAUSAL_LM",
      use_dora: spec.useDora ?? false,
      modules_to_save: spec.modulesToSave ?? [],
      target_modules: ["q_proj", "v_proj"],
    });
    expect(facts.tensors).toMatchObject({
      count: layout.tensorCount,
      parameter_count: layout.parameterCount,
      layers: layout.layers,
      other: [],
    });

    const [peft, vllm] = servingCompatibility(facts, { adapterDir: "adapter" });
    expect(peft!.status).toBe(expected.peft);
    expect(vllm!.status).toBe(expected.vllm);
    expect(vllm!.blockers.map((b) => b.code)).toEqual(expected.blockers ?? []);
    if (expected.vllm === "does_not_load") expect(vllm!.command).toBeNull();
    else
      expect(vllm!.command).toBe(
        [
          "vllm serve meta-llama/Llama-3.1-8B \\",
          "  --enable-lora \\",
          ...(expected.flag ? [`  --max-lora-rank ${expected.flag} \\`] : []),
          "  --lora-modules adapter=./adapter",
        ].join("\n"),
      );
  });
});

describe("adapterFactsFrom", () => {
  it("says which file was not read, and why a config gives no facts", () => {
    expect(adapterFactsFrom(undefined, [])).toEqual({
      facts: null,
      reason: "adapter_config.json was not read",
    });
    expect(adapterFactsFrom({}, null)).toEqual({
      facts: null,
      reason: "adapter_model.safetensors was not read",
    });
    expect(adapterFactsFrom({ r: "x" }, [])).toMatchObject({ facts: null });
  });
});
