import { describe, expect, it } from "vitest";

import { requestIdFrom, requestIdOf } from "./request-id.server";

describe("request ids", () => {
  it("keeps a well-formed incoming id", () => {
    expect(requestIdFrom("req-1234.abc_DEF")).toBe("req-1234.abc_DEF");
    const request = new Request("http://localhost/", {
      headers: { "x-request-id": "0f8e5c1a-2b3c-4d5e-8f90-123456789abc" },
    });
    expect(requestIdOf(request)).toBe("0f8e5c1a-2b3c-4d5e-8f90-123456789abc");
  });

  it.each(["", "short", "x".repeat(65), "with space 123", "semi;colon-1234", 'quote"1234'])(
    "replaces the malformed id %j",
    (incoming) => {
      const id = requestIdFrom(incoming);
      expect(id).not.toBe(incoming);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        requestIdOf(new Request("http://localhost/", { headers: { "x-request-id": incoming } })),
      ).toBeUndefined();
    },
  );

  it("makes a new id when there is none", () => {
    expect(requestIdFrom(null)).not.toBe(requestIdFrom(undefined));
    expect(requestIdOf(new Request("http://localhost/"))).toBeUndefined();
  });
});
