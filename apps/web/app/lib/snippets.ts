/** "Use this adapter" snippets for PEFT and vLLM. */
export function adapterDirName(modelName: string): string {
  const slug = modelName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "adapter";
}

function pythonString(value: string): string {
  return JSON.stringify(value);
}

function shellWord(value: string): string {
  return /^[A-Za-z0-9._/:=@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

export function peftSnippet(baseModel: string, dir: string): string {
  return [
    "from transformers import AutoModelForCausalLM, AutoTokenizer",
    "from peft import PeftModel",
    "",
    `base = AutoModelForCausalLM.from_pretrained(${pythonString(baseModel)})`,
    `tokenizer = AutoTokenizer.from_pretrained(${pythonString(baseModel)})`,
    `model = PeftModel.from_pretrained(base, ${pythonString(`./${dir}`)})`,
  ].join("\n");
}

export function vllmSnippet(baseModel: string, dir: string): string {
  return [
    `vllm serve ${shellWord(baseModel)} \\`,
    "  --enable-lora \\",
    `  --lora-modules ${shellWord(`${dir}=./${dir}`)}`,
  ].join("\n");
}
