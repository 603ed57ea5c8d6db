import { describe, expect, it } from "vitest";

import { servingCompatibility, tgiPaddedRank, tgiVerdict } from "../index";
import { handWrittenAdapterFacts, readFactsOrThrow } from "../testing/facts";
import { simAdapter } from "../testing/sim-adapter";

function tgiFor(spec: Parameters<typeof simAdapter>[0]) {
  const facts = readFactsOrThrow(simAdapter({ adapterSizeBytes: 262144, ...spec }));
  return tgiVerdict(facts, { adapterDir: "support-bot" });
}

/** A hand-written rank-16 adapter of "org/model" with `config`'s fields. */
function tgiForConfig(config: Record<string, unknown>) {
  const facts = handWrittenAdapterFacts({ baseModel: "org/model", config });
  return tgiVerdict(facts, { adapterDir: "a" });
}

const TGI_COMMAND = [
  "docker run --gpus all --shm-size 1g -p 8080:80 \\",
  '  -v "$PWD/data:/data" \\',
  '  -v "$PWD"/support-bot:/adapters/support-bot \\',
  "  ghcr.io/huggingface/text-generation-inference:3.3.5 \\",
  "  --model-id meta-llama/Llama-3.1-8B \\",
  "  --lora-adapters support-bot=/adapters/support-bot",
].join("\n");

const codes = (notes: readonly { code: string }[]) => notes.map((note) => note.code);

describe("tgiPaddedRank: punica pad_rank (MIN_SGMV_RANK 8 per GPU, blocks of 16)", () => {
  it.each([
    [4, 1, 8],
    [8, 1, 8],
    [12, 1, 16],
    [16, 1, 16],
    [64, 1, 64],
    [100, 1, 112],
    [256, 1, 256],
    [8, 2, 16],
    [16, 4, 32],
  ])("rank %i on %i GPU(s) → %i", (rank, shards, padded) => {
    expect(tgiPaddedRank(rank, shards)).toBe(padded);
  });
});

describe("Text Generation Inference on the simulator's adapters", () => {
  it("is the third engine, after PEFT and vLLM", () => {
    const facts = readFactsOrThrow(simAdapter({ adapterSizeBytes: 262144 }));
    const engines = servingCompatibility(facts, { adapterDir: "x" }).map((v) => v.engine);
    expect(engines).toEqual(["peft", "vllm", "tgi"]);
  });

  it.each([8, 64, 256])("rank %i: loads with the documented docker command", (rank) => {
    const tgi = tgiFor({ rank });
    expect(tgi).toMatchObject({
      engine: "tgi",
      label: "Text Generation Inference",
      language: "shell",
      status: "loads",
      blockers: [],
      needs: [],
      command: TGI_COMMAND,
    });
    expect(codes(tgi.notes)).toContain("maintenance");
    expect(codes(tgi.notes)).toContain("architecture");
    expect(tgi.notes.every((note) => note.source.length > 0)).toBe(true);
  });

  it("rank 8: warns that sharding over 2+ GPUs pads the rank; 64 and 256 do not", () => {
    const note = tgiFor({ rank: 8 }).notes.find((n) => n.code === "rank_padding_shards");
    expect(note?.message).toContain("On 2 or more GPUs");
    expect(codes(tgiFor({ rank: 64 }).notes)).not.toContain("rank_padding_shards");
    expect(codes(tgiFor({ rank: 256 }).notes)).not.toContain("rank_padding_shards");
  });

  it("rank 256 is above the punica kernels' 128: loads, with a note on the slower loop", () => {
    expect(codes(tgiFor({ rank: 256 }).notes)).toContain("kernel_rank");
    expect(codes(tgiFor({ rank: 64 }).notes)).not.toContain("kernel_rank");
  });

  it.each([8, 64, 256])("rank %i with modules_to_save [lm_head]: TGI ignores it", (rank) => {
    const tgi = tgiFor({ rank, modulesToSave: ["lm_head"] });
    expect(tgi).toMatchObject({ status: "does_not_load", command: null });
    expect(codes(tgi.blockers)).toEqual(["modules_to_save"]);
    expect(tgi.blockers[0]!.message).toContain("modules_to_save: lm_head");
    expect(tgi.blockers[0]!.source).toContain("adapters/lora.py (LoraConfig.load");
  });

  it.each([8, 64, 256])(
    "rank %i with DoRA: TGI ignores the magnitudes; without, it loads",
    (rank) => {
      const dora = tgiFor({ rank, useDora: true });
      expect(dora).toMatchObject({ status: "does_not_load", command: null });
      expect(codes(dora.blockers)).toEqual(["use_dora"]);
      expect(dora.blockers[0]!.message).toContain("applies it as plain LoRA");
      expect(tgiFor({ rank, useDora: false }).status).toBe("loads");
    },
  );

  it("rsLoRA is read (alpha / √r): it loads", () => {
    expect(tgiFor({ rank: 16, useRslora: true }).status).toBe("loads");
  });

  it("a sequence classifier: no classification heads in TGI", () => {
    const tgi = tgiFor({ taskType: "SEQ_CLS" });
    expect(tgi.status).toBe("does_not_load");
    expect(codes(tgi.blockers)).toContain("task_type");
  });
});

describe("TGI's rules on hand-written configs", () => {
  it.each([4, 12, 24, 100])("rank %i is padded and then mis-scaled: does not load", (r) => {
    const tgi = tgiForConfig({ r });
    expect(codes(tgi.blockers)).toEqual(["rank_padding"]);
    expect(tgi.blockers[0]!.message).toContain(`to ${tgiPaddedRank(r)}`);
  });

  it.each([
    [{ bias: "all" }, "bias"],
    [{ lora_bias: true }, "lora_bias"],
    [{ init_lora_weights: "pissa" }, "init_lora_weights"],
    [{ layer_replication: [[0, 2]] }, "layer_replication"],
    [{ rank_pattern: { "layers.3.self_attn.q_proj": 32 } }, "rank_pattern"],
    [{ alpha_pattern: { "layers.3.self_attn.q_proj": 8 } }, "rank_pattern"],
    [{ target_modules: ["q_proj", "embed_tokens", "lm_head"] }, "target_modules"],
  ])("refuses %j", (config, code) => {
    const tgi = tgiForConfig(config);
    expect(tgi).toMatchObject({ status: "does_not_load", command: null });
    expect(codes(tgi.blockers)).toEqual([code]);
  });

  it("names the modules it does not apply LoRA to", () => {
    const tgi = tgiForConfig({ target_modules: ["q_proj", "embed_tokens", "lm_head"] });
    expect(tgi.blockers[0]!.message).toContain("on embed_tokens, lm_head");
  });

  it("takes full module names, plain inits and patterns that repeat r / alpha", () => {
    expect(tgiForConfig({ target_modules: ["model.layers.0.self_attn.q_proj"] }).status).toBe(
      "loads",
    );
    expect(tgiForConfig({ init_lora_weights: "gaussian" }).status).toBe("loads");
    expect(
      tgiForConfig({ rank_pattern: { q_proj: 16 }, alpha_pattern: { q_proj: 32 } }).status,
    ).toBe("loads");
  });

  it("a regular expression for target_modules is not checked", () => {
    const tgi = tgiForConfig({ target_modules: ".*(q|v)_proj" });
    expect(tgi).toMatchObject({ status: "not_checked", command: null });
    expect(codes(tgi.blockers)).toEqual(["target_modules_regex"]);
  });

  it("quotes a base model name the shell would split", () => {
    const tgi = tgiForConfig({ base_model_name_or_path: "org/it's a model" });
    expect(tgi.command).toContain(`--model-id 'org/it'"'"'s a model' \\`);
  });
});
