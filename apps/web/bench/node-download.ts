/**
 * The floor of any Node download client on this machine, for the `mad pull` comparison in
 * delivery.bench.ts: the same signed URLs fetched in parallel with node:http and written to disk
 * as they arrive — no hashing, no retries, no progress, nothing `mad pull` adds. Measured from
 * the first request to the last file closed (the process's start-up is left out).
 *
 * argv: <dir> <name=url>... Prints the milliseconds taken.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";

const [dir = "", ...pairs] = process.argv.slice(2);

function download(url: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`${url}: HTTP ${response.statusCode}`));
          response.resume();
          return;
        }
        const fd = openSync(file, "w");
        // Synchronous writes into the page cache: the cheapest way Node has to land the bytes.
        response.on("data", (chunk: Buffer) => writeSync(fd, chunk));
        response.on("end", () => {
          closeSync(fd);
          resolve();
        });
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

const started = performance.now();
await Promise.all(
  pairs.map((pair) => {
    const at = pair.indexOf("=");
    return download(pair.slice(at + 1), join(dir, pair.slice(0, at)));
  }),
);
process.stdout.write(`${performance.now() - started}\n`);
