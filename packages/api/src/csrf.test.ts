import { describe, expect, it } from "vitest";

import { isSameOriginRequest, isStateChangingMethod, originOf } from "./csrf";

const request = (headers: Record<string, string>, url = "http://localhost:3000/api/trpc/x") =>
  new Request(url, { method: "POST", headers });

describe("isSameOriginRequest", () => {
  it("trusts the own origin, configured origins and same-origin fetch metadata only", () => {
    expect(isSameOriginRequest(request({ origin: "http://localhost:3000" }))).toBe(true);
    expect(
      isSameOriginRequest(request({ origin: "https://app.example" }), ["https://app.example"]),
    ).toBe(true);
    expect(
      isSameOriginRequest(
        request({ "sec-fetch-site": "same-origin", origin: "https://app.example" }),
      ),
    ).toBe(true);
    expect(isSameOriginRequest(request({ "sec-fetch-site": "none" }))).toBe(true);
  });

  it("refuses other sites, opaque origins, same-site subdomains and header-less requests", () => {
    expect(isSameOriginRequest(request({ origin: "null" }))).toBe(false);
    expect(isSameOriginRequest(request({ origin: "http://localhost:3001" }))).toBe(false);
    expect(isSameOriginRequest(request({ "sec-fetch-site": "same-site" }))).toBe(false);
    expect(
      isSameOriginRequest(
        request({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }),
      ),
    ).toBe(false);
    expect(isSameOriginRequest(request({}))).toBe(false);
  });

  it("behind a proxy that rewrites Host, the public origin is trusted only when configured", () => {
    // The proxy forwards https://models.example.com to http://10.0.0.5:3000.
    const proxied = request({ origin: "https://models.example.com" }, "http://10.0.0.5:3000/login");
    expect(isSameOriginRequest(proxied)).toBe(false);
    expect(isSameOriginRequest(proxied, [originOf("https://models.example.com/")])).toBe(true);
  });
});

describe("isStateChangingMethod", () => {
  it.each([
    ["POST", true],
    ["delete", true],
    ["GET", false],
    ["HEAD", false],
    ["OPTIONS", false],
  ])("%s → %s", (method, expected) => {
    expect(isStateChangingMethod(method)).toBe(expected);
  });
});
