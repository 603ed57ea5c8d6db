/**
 * The load generator, run as its own process so it does not share an event loop with the
 * server: N keep-alive connections, each sending the next request as soon as the previous
 * answer is fully read, for a fixed time. Prints one JSON line with throughput and latencies.
 *
 * With LOAD_PACE_MS set, each connection is a paced client instead (a person browsing): it sends
 * one request every LOAD_PACE_MS, the clients' schedules spread evenly over the interval. A
 * request whose turn comes while the previous answer is still arriving is sent at once, and its
 * latency counts from its scheduled time, so a slow server cannot hide its queue by slowing the
 * clients down (no coordinated omission).
 *
 * argv: <url> <connections> <seconds> [cookie]
 */
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

const [url, connectionsArg, secondsArg, cookie] = process.argv.slice(2);
if (!url) throw new Error("usage: load.ts <url> <connections> <seconds> [cookie]");
const connections = Number(connectionsArg ?? 16);
const seconds = Number(secondsArg ?? 10);
const paceMs = process.env.LOAD_PACE_MS ? Number(process.env.LOAD_PACE_MS) : null;
if (paceMs !== null && !(paceMs > 0)) throw new Error("LOAD_PACE_MS must be a positive number");
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const headers: Record<string, string> = { Accept: "text/html" };
if (cookie) headers.Cookie = cookie;

const latencies: number[] = [];
let errors = 0;
let bytes = 0;
const statuses = new Map<number, number>();

function once(started = process.hrtime.bigint()): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        agent,
        headers,
      },
      (response) => {
        response.on("data", (chunk: Buffer) => (bytes += chunk.length));
        response.on("end", () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          statuses.set(response.statusCode ?? 0, (statuses.get(response.statusCode ?? 0) ?? 0) + 1);
          if (response.statusCode !== 200) errors++;
          resolve();
        });
      },
    );
    request.on("error", () => {
      errors++;
      resolve();
    });
    request.end();
  });
}

const deadline = Date.now() + seconds * 1000;
const startedAt = process.hrtime.bigint();
const msToNs = (ms: number) => BigInt(Math.round(ms * 1e6));
await Promise.all(
  Array.from({ length: connections }, async (_, client) => {
    if (paceMs === null) {
      while (Date.now() < deadline) await once();
      return;
    }
    for (let turn = 0; ; turn++) {
      const scheduled = startedAt + msToNs((client / connections + turn) * paceMs);
      const waitMs = Number(scheduled - process.hrtime.bigint()) / 1e6;
      if (Date.now() + Math.max(0, waitMs) >= deadline) break;
      if (waitMs > 0) await sleep(waitMs);
      await once(scheduled);
    }
  }),
);
const elapsed = Number(process.hrtime.bigint() - startedAt) / 1e9;
agent.destroy();
latencies.sort((a, b) => a - b);
const pick = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
console.log(
  JSON.stringify({
    requests: latencies.length,
    errors,
    statuses: Object.fromEntries(statuses),
    rps: latencies.length / elapsed,
    p50: pick(0.5),
    p90: pick(0.9),
    p99: pick(0.99),
    max: latencies.at(-1) ?? 0,
    bytesPerResponse: latencies.length ? Math.round(bytes / latencies.length) : 0,
  }),
);
