import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { servingCompatibility } from "@mad/adapters";
import { handWrittenAdapterFacts } from "@mad/adapters/testing";
import { diagnoseTraining } from "@mad/quality";

import { AdapterFactsSection } from "./AdapterFactsSection";
import { TrainingStorySection } from "./TrainingStorySection";
import type { ModelDetail } from "./types";
import { UsageSection } from "./UsageSection";

/** A rank-256 causal-LM adapter in BF16 with a saved lm_head tensor, and `config`'s fields. */
function factsOf(config: Record<string, unknown>) {
  return handWrittenAdapterFacts({
    rank: 256,
    taskType: "CAUSAL_LM",
    config,
    tensors: [
      {
        name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
        dtype: "BF16",
        shape: [256, 16],
      },
      {
        name: "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
        dtype: "BF16",
        shape: [16, 256],
      },
      { name: "base_model.model.lm_head.weight", dtype: "BF16", shape: [128, 16] },
    ],
  });
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("AdapterFactsSection", () => {
  it("lists what the files say", () => {
    const html = renderToStaticMarkup(
      createElement(AdapterFactsSection, { facts: factsOf({ modules_to_save: ["lm_head"] }) }),
    );
    const shown = text(html);
    expect(shown).toContain("Rank 256");
    expect(shown).toContain("Target modules q_proj, v_proj");
    expect(shown).toContain("Modules saved whole lm_head");
    expect(shown).toContain("DoRA No");
    expect(shown).toContain(`Parameters ${(256 * 16 * 2 + 128 * 16).toLocaleString("en-US")}`);
    expect(shown).toContain("Data types BF16 × 3");
  });

  it("says when the files were not read", () => {
    const html = renderToStaticMarkup(createElement(AdapterFactsSection, { facts: null }));
    expect(text(html)).toContain("have not been read for this model yet");
  });
});

describe("UsageSection", () => {
  it("shows each engine's verdict; a refused engine gets reasons, not a command", () => {
    const facts = factsOf({ modules_to_save: ["lm_head"] });
    const model = {
      name: "Support bot",
      serving: {
        adapter_dir: "support-bot",
        engines: servingCompatibility(facts, { adapterDir: "support-bot" }),
      },
    } as unknown as ModelDetail;
    const html = renderToStaticMarkup(
      createElement(UsageSection, { model, baseModel: facts.base_model }),
    );
    const shown = text(html);
    expect(shown).toContain("PEFT / transformers Loads as is");
    expect(shown).toContain("vLLM Does not load");
    expect(shown).toContain("Text Generation Inference Does not load");
    expect(shown).toContain("Why it does not load");
    expect(html).not.toContain("vllm serve");
    expect(html).not.toContain("docker run");
    expect(html).toContain("PeftModel.from_pretrained(base, &quot;./support-bot&quot;)");
    // Code blocks can be scrolled from the keyboard (axe: scrollable-region-focusable).
    expect(html).toMatch(/<pre tabindex="0"/);
  });
});

describe("TrainingStorySection", () => {
  it("tells what happened, in the diagnostics' own sentences", () => {
    const points = Array.from({ length: 101 }, (_, step) => ({
      step,
      training_loss: step > 90 ? Number.NaN : 2 - 0.01 * step,
      validation_loss: null,
    }));
    const diagnostics = diagnoseTraining(points);
    const html = renderToStaticMarkup(createElement(TrainingStorySection, { diagnostics }));
    expect(text(html)).toContain("What happened in training");
    expect(text(html)).toContain(
      "Training diverged: from step 91 to the end the training loss was NaN or infinite.",
    );
  });
});

describe("ModelCardSection", () => {
  it("shows the card escaped, folded, with a download link", async () => {
    const { ModelCardSection } = await import("./ModelCardSection");
    const html = renderToStaticMarkup(
      createElement(ModelCardSection, {
        modelId: "0b5e0a52-0000-4000-8000-000000000000",
        markdown: "---\nlibrary_name: peft\n---\n# <script>alert(1)</script>",
      }),
    );
    expect(html).toContain('href="/models/0b5e0a52-0000-4000-8000-000000000000/README.md"');
    expect(html).toContain("<details");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });
});
