import { describe, expect, it } from "vitest";

import { servingCompatibility } from "@mad/adapters";
import { handWrittenAdapterFacts } from "@mad/adapters/testing";

import { peftSnippet, usageSnippets } from "./snippets";

/** A model whose rank-64 causal-LM adapter of Llama-3.1-8B has `config`'s fields. */
function modelWith(config: Record<string, unknown>, name = "Support bot") {
  const facts = handWrittenAdapterFacts({ rank: 64, taskType: "CAUSAL_LM", config });
  const adapterDir = "support-bot";
  return {
    name,
    serving: { adapter_dir: adapterDir, engines: servingCompatibility(facts, { adapterDir }) },
  };
}

describe("usage snippets from the serving verdicts", () => {
  it("a rank-64 adapter's vLLM command raises --max-lora-rank to 64 (issue 11, item 4)", () => {
    const { snippets, adapterDir, fromFacts } = usageSnippets(modelWith({}), "ignored");
    expect(fromFacts).toBe(true);
    expect(adapterDir).toBe("support-bot");
    const vllm = snippets.find((s) => s.engine === "vllm")!;
    expect(vllm.statusText).toBe("Loads with the settings below");
    expect(vllm.code).toBe(
      [
        "vllm serve meta-llama/Llama-3.1-8B \\",
        "  --enable-lora \\",
        "  --max-lora-rank 64 \\",
        "  --lora-modules support-bot=./support-bot",
      ].join("\n"),
    );
    expect(vllm.needs[0]).toContain("--max-lora-rank 64");
    const tgi = snippets.find((s) => s.engine === "tgi")!;
    expect(tgi).toMatchObject({ label: "Text Generation Inference", status: "loads" });
    expect(tgi.code).toContain("--lora-adapters support-bot=/adapters/support-bot");
  });

  it("a DoRA adapter gets no vLLM command, and says why", () => {
    const { snippets } = usageSnippets(modelWith({ use_dora: true }), "ignored");
    const vllm = snippets.find((s) => s.engine === "vllm")!;
    expect(vllm).toMatchObject({ status: "does_not_load", code: null });
    expect(vllm.blockers[0]).toContain("vLLM does not support DoRA");
    const tgi = snippets.find((s) => s.engine === "tgi")!;
    expect(tgi).toMatchObject({ status: "does_not_load", code: null });
    expect(tgi.blockers[0]).toContain("applies it as plain LoRA");
    const peft = snippets.find((s) => s.engine === "peft")!;
    expect(peft.code?.split("\n")[0]).toBe('# pip install "peft>=0.9.0" transformers');
  });

  it("without adapter facts: PEFT only, and no guessed vLLM or TGI command", () => {
    const { snippets, fromFacts } = usageSnippets(
      { name: "Legal corpus - 2026-11-23", serving: null },
      "org/model; rm -rf /",
    );
    expect(fromFacts).toBe(false);
    expect(snippets.map((s) => [s.engine, s.status, s.code === null])).toEqual([
      ["peft", "loads", false],
      ["vllm", "not_checked", true],
      ["tgi", "not_checked", true],
    ]);
    expect(snippets[0]!.code).toBe(peftSnippet("org/model; rm -rf /", "legal-corpus-2026-11-23"));
    expect(snippets[0]!.code).toContain('from_pretrained("org/model; rm -rf /")');
  });
});
