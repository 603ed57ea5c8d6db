import { request as httpRequest } from "node:http";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { type MiddlewareServer, serveMiddleware } from "../testing/middleware-server";
import { refuseCrossSitePosts } from "./cross-site.server";

const PUBLIC_ORIGIN = "https://models.example.com";
let server: MiddlewareServer;
const refusals: unknown[] = [];
let reached: { forwardedHost: string | null } | null = null;

beforeAll(async () => {
  const guard = refuseCrossSitePosts({
    publicOrigin: PUBLIC_ORIGIN,
    exemptPathPrefixes: ["/api/trpc/"],
    onRefused: (details) => refusals.push(details),
  });
  server = await serveMiddleware(guard, (request, response) => {
    const forwarded = request.headers["x-forwarded-host"];
    reached = { forwardedHost: typeof forwarded === "string" ? forwarded : null };
    response.end("action ran");
  });
});

afterAll(() => server.close());

beforeEach(() => {
  refusals.length = 0;
  reached = null;
});

/** A raw request, so the Host header can be what a rewriting proxy sends. */
function send(method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: "127.0.0.1",
        port: server.port,
        method,
        path,
        headers: { "content-length": "0", ...headers },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("refuseCrossSitePosts", () => {
  it("answers a cross-site form post with a 403 that says why, and reports it once", async () => {
    const result = await send("POST", "/notifications", {
      host: `127.0.0.1:${server.port}`,
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    expect(result.status).toBe(403);
    expect(result.body).toMatch(/sent from another site and was refused/);
    expect(reached).toBeNull();
    expect(refusals).toEqual([
      { method: "POST", path: "/notifications", origin: "https://evil.example" },
    ]);
  });

  it("refuses a post with an opaque origin or no browser headers at all", async () => {
    expect((await send("POST", "/logout", { host: "a", origin: "null" })).status).toBe(403);
    expect((await send("POST", "/logout", { host: "a" })).status).toBe(403);
    expect(refusals).toHaveLength(2);
  });

  it("behind a proxy that rewrites Host, a post from the public origin goes through", async () => {
    const result = await send("POST", "/login", {
      host: "10.0.0.5:3000",
      origin: PUBLIC_ORIGIN,
      "sec-fetch-site": "same-origin",
    });
    expect(result).toEqual({ status: 200, body: "action ran" });
    // Remix's own check compares Origin with X-Forwarded-Host: they agree now.
    expect(reached).toEqual({ forwardedHost: "models.example.com" });
  });

  it("lets reads and the tRPC endpoint (which checks per call) through", async () => {
    expect(
      (await send("GET", "/models", { host: "a", origin: "https://evil.example" })).status,
    ).toBe(200);
    expect(
      (await send("POST", "/api/trpc/models.delete", { host: "a", origin: "https://evil.example" }))
        .status,
    ).toBe(200);
    expect(refusals).toEqual([]);
  });
});
