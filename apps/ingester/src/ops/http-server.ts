/**
 * The ingester's operations endpoint: `/healthz` (the process is alive), `/readyz` (it can reach
 * the database and storage) and `/metrics` (Prometheus). Nothing else is served.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import type { Registry } from "prom-client";

import { type ReadinessCheck, runReadinessChecks } from "@mad/readiness";

export interface OpsServer {
  url: string;
  /** Makes `/readyz` answer 503 from now on (draining: no new work should come here). */
  markDraining(): void;
  close(): Promise<void>;
}

export async function startOpsServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  readiness: ReadinessCheck[];
}): Promise<OpsServer> {
  let draining = false;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    if (path === "/healthz") return send(200, "ok\n");
    if (path === "/readyz") {
      if (draining)
        return send(503, JSON.stringify({ ready: false, draining: true }), "application/json");
      void runReadinessChecks(options.readiness).then((report) =>
        send(report.ready ? 200 : 503, JSON.stringify(report), "application/json"),
      );
      return;
    }
    if (path === "/metrics") {
      void options.registry.metrics().then(
        (text) => send(200, text, options.registry.contentType),
        () => send(500, "metrics failed\n"),
      );
      return;
    }
    send(404, "not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    markDraining: () => {
      draining = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
