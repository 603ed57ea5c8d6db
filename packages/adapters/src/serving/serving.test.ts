import { describe, expect, it } from "vitest";

import { servingCompatibility, vllmMaxLoraRankFor } from "../index";
import { handWrittenAdapterFacts, readFactsOrThrow } from "../testing/facts";
import { simAdapter } from "../testing/sim-adapter";

function verdictsFor(spec: Parameters<typeof simAdapter>[0]) {
  const facts = readFactsOrThrow(simAdapter({ adapterSizeBytes: 262144, ...spec }));
  const [peft, vllm] = servingCompatibility(facts, { adapterDir: "support-bot" });
  return { peft: peft!, vllm: vllm! };
}

const PLAIN_PEFT = [
  "# pip install peft transformers",
  "from transformers import AutoModelForCausalLM, AutoTokenizer",
  "from peft import PeftModel",
  "",
  'base = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B")',
  'tokenizer = AutoTokenizer.from_pretrained("meta-llama/Llama-3.1-8B")',
  'model = PeftModel.from_pretrained(base, "./support-bot")',
].join("\n");

const vllmCommand = (maxLoraRank: number | null) =>
  [
    "vllm serve meta-llama/Llama-3.1-8B \\",
    "  --enable-lora \\",
    ...(maxLoraRank === null ? [] : [`  --max-lora-rank ${maxLoraRank} \\`]),
    "  --lora-modules support-bot=./support-bot",
  ].join("\n");

describe("vllmMaxLoraRankFor: the values --max-lora-rank accepts (vllm/config/lora.py)", () => {
  it.each([
    [1, 1],
    [8, 8],
    [9, 16],
    [16, 16],
    [17, 32],
    [64, 64],
    [100, 128],
    [256, 256],
    [300, 320],
    [512, 512],
    [513, null],
  ])("rank %i → %s", (rank, expected) => {
    expect(vllmMaxLoraRankFor(rank)).toBe(expected);
  });
});

describe("serving compatibility of the simulator's adapters", () => {
  it("rank 8, nothing else: loads as is on both, with vLLM's default flags", () => {
    const { peft, vllm } = verdictsFor({ rank: 8 });
    expect(peft).toMatchObject({ status: "loads", blockers: [], needs: [], command: PLAIN_PEFT });
    expect(vllm).toMatchObject({ status: "loads", blockers: [], needs: [] });
    expect(vllm.command).toBe(vllmCommand(null));
    expect(vllm.notes).toEqual([]);
  });

  it.each([
    [64, 64],
    [256, 256],
  ])("rank %i: vLLM needs --max-lora-rank %i (its default is 16; issue #2847)", (rank, flag) => {
    const { peft, vllm } = verdictsFor({ rank });
    expect(peft.status).toBe("loads");
    expect(vllm.status).toBe("loads_with_flags");
    expect(vllm.needs.map((need) => need.code)).toEqual(["max_lora_rank"]);
    expect(vllm.needs[0]!.message).toContain(
      `"LoRA rank ${rank} is greater than max_lora_rank 16"): the command sets --max-lora-rank ${flag}`,
    );
    expect(vllm.needs[0]!.source).toContain("vllm/config/lora.py");
    expect(vllm.command).toBe(vllmCommand(flag));
  });

  it("rank 1024: no --max-lora-rank holds it, so vLLM does not load it", () => {
    const { vllm } = verdictsFor({ rank: 1024, adapterSizeBytes: 1 << 20 });
    expect(vllm).toMatchObject({ status: "does_not_load", command: null });
    expect(vllm.blockers.map((b) => b.code)).toEqual(["max_lora_rank"]);
  });

  it.each([8, 64, 256])(
    "rank %i with modules_to_save [lm_head]: PEFT loads it, vLLM refuses it (issue #9280)",
    (rank) => {
      const { peft, vllm } = verdictsFor({ rank, modulesToSave: ["lm_head"] });
      expect(peft.status).toBe("loads");
      expect(peft.notes.map((note) => note.code)).toContain("modules_to_save");
      expect(peft.command).toBe(PLAIN_PEFT);
      expect(vllm.status).toBe("does_not_load");
      expect(vllm.command).toBeNull();
      expect(vllm.blockers.map((b) => b.code)).toEqual(["modules_to_save"]);
      expect(vllm.blockers[0]!.message).toContain("modules_to_save: lm_head");
      expect(vllm.blockers[0]!.source).toContain("#9280");
    },
  );

  it.each([8, 64, 256])("rank %i with DoRA: PEFT ≥ 0.9.0 loads it, vLLM does not", (rank) => {
    const { peft, vllm } = verdictsFor({ rank, useDora: true });
    expect(peft.status).toBe("loads_with_flags");
    expect(peft.needs.map((need) => need.code)).toEqual(["peft>=0.9.0"]);
    expect(peft.command?.split("\n")[0]).toBe('# pip install "peft>=0.9.0" transformers');
    expect(vllm.status).toBe("does_not_load");
    expect(vllm.blockers.map((b) => b.code)).toEqual(["use_dora"]);
  });

  it("DoRA and modules_to_save together: vLLM names both reasons", () => {
    const { vllm } = verdictsFor({ rank: 64, useDora: true, modulesToSave: ["embed_tokens"] });
    expect(vllm.blockers.map((b) => b.code)).toEqual(["modules_to_save", "use_dora"]);
  });

  it("rsLoRA changes nothing about loading", () => {
    const { peft, vllm } = verdictsFor({ rank: 16, useRslora: true });
    expect([peft.status, vllm.status]).toEqual(["loads", "loads"]);
  });

  it("a sequence classifier: PEFT builds the head with its 2 labels; vLLM is not checked", () => {
    const { peft, vllm } = verdictsFor({ taskType: "SEQ_CLS" });
    expect(peft.status).toBe("loads_with_flags");
    expect(peft.command).toContain(
      'base = AutoModelForSequenceClassification.from_pretrained("meta-llama/Llama-3.1-8B", num_labels=2)',
    );
    expect(vllm).toMatchObject({ status: "not_checked", command: null });
  });

  it("quotes names that a shell or Python would read differently", () => {
    const facts = readFactsOrThrow(
      simAdapter({ baseModel: "org/it's a model", adapterSizeBytes: 262144 }),
    );
    const [peft, vllm] = servingCompatibility(facts, { adapterDir: "x" });
    expect(vllm!.command?.split("\n")[0]).toBe(`vllm serve 'org/it'"'"'s a model' \\`);
    expect(peft!.command).toContain(`from_pretrained("org/it's a model")`);
  });
});

describe("vLLM's rules on hand-written configs (vllm/lora/peft_helper.py)", () => {
  const tensors = [
    { name: "base_model.model.layers.0.q_proj.lora_A.weight", dtype: "F16", shape: [8, 8] },
  ];
  const vllmFor = (config: Record<string, unknown>) => {
    const facts = handWrittenAdapterFacts({
      rank: 8,
      baseModel: "org/model",
      config: { target_modules: ["q_proj"], ...config },
      tensors,
    });
    return servingCompatibility(facts, { adapterDir: "a" })[1]!;
  };

  it("sizes --max-lora-rank by the largest rank_pattern override, not r alone", () => {
    const vllm = vllmFor({ rank_pattern: { "layers.3.self_attn.q_proj": 100 } });
    expect(vllm.status).toBe("loads_with_flags");
    expect(vllm.command).toContain("--max-lora-rank 128");
  });

  it.each([
    [{ bias: "all" }, "bias"],
    [{ lora_bias: true }, "lora_bias"],
    [{ init_lora_weights: "pissa" }, "init_lora_weights"],
    [{ layer_replication: [[0, 2]] }, "layer_replication"],
    [{ modules_to_save: ["embed_tokens"] }, "modules_to_save"],
  ])("refuses %j", (config, code) => {
    const vllm = vllmFor(config);
    expect(vllm.status).toBe("does_not_load");
    expect(vllm.blockers.map((b) => b.code)).toEqual([code]);
    expect(vllm.command).toBeNull();
  });

  it("takes inits that only set the starting weights, and a classifier head", () => {
    expect(vllmFor({ init_lora_weights: "gaussian" }).status).toBe("loads");
    expect(vllmFor({ init_lora_weights: false }).status).toBe("loads");
    // ["classifier", "score"] is what vLLM allows, for classification models.
    const head = vllmFor({ modules_to_save: ["classifier", "score"] });
    expect(head.blockers.map((b) => b.code)).not.toContain("modules_to_save");
  });
});

describe("tensors vLLM cannot name (vllm/lora/utils.py, parse_fine_tuned_lora_name)", () => {
  it("a tensor that is no LoRA weight makes vLLM refuse the adapter, and PEFT still loads it", () => {
    const facts = handWrittenAdapterFacts({
      rank: 8,
      baseModel: "org/m",
      config: { target_modules: ["q_proj"] },
      tensors: [
        { name: "base_model.model.layers.0.q_proj.lora_A.weight", dtype: "F16", shape: [8, 8] },
        { name: "base_model.model.layers.0.q_proj.lora_B.weight", dtype: "F16", shape: [8, 8] },
        { name: "optimizer_state", dtype: "U8", shape: [64] },
      ],
    });
    const [peft, vllm] = servingCompatibility(facts, { adapterDir: "a" });
    expect(vllm).toMatchObject({ status: "does_not_load", command: null });
    expect(vllm!.blockers.map((b) => b.code)).toEqual(["other_tensors"]);
    expect(vllm!.blockers[0]!.message).toContain('"optimizer_state is unsupported LoRA weight"');
    expect(peft!.status).toBe("loads");
  });
});

describe("a classification adapter on vLLM", () => {
  it("with DoRA is refused outright; without, it is not checked", () => {
    const facts = (useDora: boolean) => {
      const facts = readFactsOrThrow(
        simAdapter({ taskType: "SEQ_CLS", useDora, adapterSizeBytes: 262144 }),
      );
      return servingCompatibility(facts, { adapterDir: "a" })[1]!;
    };
    expect(facts(true)).toMatchObject({ status: "does_not_load", command: null });
    expect(facts(true).blockers.map((b) => b.code)).toEqual(["use_dora"]);
    expect(facts(false)).toMatchObject({ status: "not_checked", command: null });
  });
});
