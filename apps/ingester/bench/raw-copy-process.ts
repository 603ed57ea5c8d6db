/**
 * The raw baselines as a process of their own (compiled like the ingester, same Node flags), so
 * they pay the same process boundaries as the ingester does. Arguments: the adapter's URL, the
 * cluster key, then `file <path>` or `upload <storage url> <service key> <object path>`. Prints
 * the milliseconds taken.
 */
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

const [url = "", apiKey = "", mode = "", ...rest] = process.argv.slice(2);

async function download(): Promise<Readable> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!response.ok || !response.body) throw new Error(`raw download: HTTP ${response.status}`);
  return Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
}

const started = performance.now();
if (mode === "file") {
  const [file = ""] = rest;
  // Fsynced before close, as the local backend does.
  await pipeline(await download(), createWriteStream(file, { flush: true }));
  process.stdout.write(`${performance.now() - started}\n`);
  await rm(file);
} else {
  const [storageUrl = "", serviceKey = "", objectPath = ""] = rest;
  const response = await fetch(`${storageUrl}/object/lora-models/${objectPath}`, {
    method: "POST",
    headers: {
      apikey: serviceKey,
      Authorization: `Bearer ${serviceKey}`,
      "Content-Type": "application/octet-stream",
      "x-upsert": "true",
    },
    body: await download(),
    duplex: "half",
    // Without it Node's fetch keeps a replayable copy of the whole body.
    redirect: "error",
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`raw upload: HTTP ${response.status}`);
  process.stdout.write(`${performance.now() - started}\n`);
}
