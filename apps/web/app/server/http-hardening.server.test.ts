import { afterEach, describe, expect, it } from "vitest";

import { type MiddlewareServer, serveMiddleware } from "../testing/middleware-server";
import type { NodeMiddleware } from "./body-limit.server";
import {
  isMalformedPath,
  refuseMalformedPaths,
  STRICT_TRANSPORT_SECURITY,
  strictTransportSecurity,
} from "./http-hardening.server";

let server: MiddlewareServer | null = null;

/** A real HTTP server: the middleware, then a route that fails the way Vite's does on `/%E0`. */
async function serve(middleware: NodeMiddleware): Promise<string> {
  server = await serveMiddleware(middleware, (request, response) => {
    try {
      decodeURIComponent((request.url ?? "").split("?")[0]!);
      response.end("page");
    } catch (error) {
      response.statusCode = 500;
      response.end((error as Error).stack);
    }
  });
  return server.url;
}

afterEach(async () => {
  await server?.close();
  server = null;
});

describe("refuseMalformedPaths", () => {
  it("answers GET /%E0 with a short 400 and no stack trace or file path", async () => {
    const base = await serve(refuseMalformedPaths());
    const response = await fetch(`${base}/%E0`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toBe("This address is not valid. Check the link and try again.");
    expect(text).not.toMatch(/at |\/work\/|URIError/);
  });

  it("lets well-formed paths through, percent-encoding and odd queries included", async () => {
    const base = await serve(refuseMalformedPaths());
    expect(await (await fetch(`${base}/models/%C3%A9?q=%E0`)).text()).toBe("page");
  });

  it.each([
    ["/%E0", true],
    ["/a%ZZ", true],
    ["/models?q=%E0", false],
    ["/models/%20x", false],
  ])("isMalformedPath(%s) = %s", (target, expected) => {
    expect(isMalformedPath(target)).toBe(expected);
  });
});

describe("strictTransportSecurity", () => {
  it("sends HSTS in production only", async () => {
    const production = await serve(strictTransportSecurity(true));
    expect((await fetch(`${production}/models`)).headers.get("strict-transport-security")).toBe(
      STRICT_TRANSPORT_SECURITY,
    );
    await server?.close();
    const development = await serve(strictTransportSecurity(false));
    expect((await fetch(`${development}/models`)).headers.get("strict-transport-security")).toBe(
      null,
    );
  });
});
