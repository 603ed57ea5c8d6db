/**
 * The Node flags and environment that `pnpm start:prod` runs the ingester with. package.json
 * owns them; tests and the benchmark read them here, so they start the ingester as production
 * does and cannot drift from it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface StartSettings {
  /** Node's flags, before the script (e.g. `--max-semi-space-size=1`). */
  nodeFlags: string[];
  /** Variables the script sets (e.g. `MALLOC_ARENA_MAX`). */
  env: Record<string, string>;
}

const packageJson = path.resolve(import.meta.dirname, "../../package.json");

/** `start:prod`'s settings: the production process. */
export function productionStartSettings(): StartSettings {
  return scriptStartSettings("start:prod");
}

/** The Node flags and variables of a package script of the form `[VAR=value …] node [--flag …] …`. */
export function scriptStartSettings(script: string): StartSettings {
  const { scripts } = JSON.parse(readFileSync(packageJson, "utf8")) as {
    scripts: Record<string, string>;
  };
  const words = (scripts[script] ?? "").trim().split(/\s+/);
  const env: Record<string, string> = {};
  let index = 0;
  for (; /^[A-Z_][A-Z0-9_]*=/.test(words[index] ?? ""); index++) {
    const word = words[index] ?? "";
    const equals = word.indexOf("=");
    env[word.slice(0, equals)] = word.slice(equals + 1);
  }
  if (words[index] !== "node") {
    throw new Error(`${script} must be "[VAR=value …] node [--flag …] script": ${words.join(" ")}`);
  }
  const nodeFlags: string[] = [];
  for (index++; (words[index] ?? "").startsWith("--"); index++) nodeFlags.push(words[index] ?? "");
  return { nodeFlags, env };
}
