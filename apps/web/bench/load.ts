/**
 * The load generator, run as its own process so it does not share an event loop with the
 * server: N keep-alive connections, each sending the next request as soon as the previous
 * answer is fully read, for a fixed time. Prints one JSON line with throughput and latencies.
 *
 * argv: <url> <connections> <seconds> [cookie]
 */
import http from "node:http";

const [url, connectionsArg, secondsArg, cookie] = process.argv.slice(2);
if (!url) throw new Error("usage: load.ts <url> <connections> <seconds> [cookie]");
const connections = Number(connectionsArg ?? 16);
const seconds = Number(secondsArg ?? 10);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const headers: Record<string, string> = { Accept: "text/html" };
if (cookie) headers.Cookie = cookie;

const latencies: number[] = [];
let errors = 0;
let bytes = 0;
const statuses = new Map<number, number>();

function once(): Promise<void> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
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
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (Date.now() < deadline) await once();
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
