/**
 * The `mad` bin as users run it: a Node process of its own, started as a shell would start it,
 * with only PATH, the API's URL and (when given) a token in its environment.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/mad.js", import.meta.url));

export function startMad(
  apiUrl: string,
  args: string[],
  token: string | undefined,
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [BIN, ...args], {
    env: {
      PATH: process.env.PATH,
      MAD_API_URL: apiUrl,
      ...(token === undefined ? {} : { MAD_TOKEN: token }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts the bin and collects what it prints until it exits. */
export function runMad(apiUrl: string, args: string[], token: string | undefined) {
  const child = startMad(apiUrl, args, token);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** The objects of `--json` output, one a line. */
export const jsonLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
