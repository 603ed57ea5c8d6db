import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger } from "./logger";
import { redactUrl } from "./redact-url";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("writes one JSON object per line with the process name and an ISO time", () => {
    const { lines, destination } = capture();
    createLogger({ name: "web", destination }).info({ requestId: "r1" }, "hello");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ name: "web", msg: "hello", requestId: "r1", level: 30 });
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("redacts fields that could carry a secret", () => {
    const { lines, destination } = capture();
    createLogger({ name: "x", destination }).warn(
      {
        apiKey: "k-123",
        request: { authorization: "Bearer abc", headers: { cookie: "s=1" } },
        token: "jwt",
      },
      "careful",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["k-123", "Bearer abc", "s=1", "jwt"]) expect(text).not.toContain(secret);
  });
});

describe("redactUrl", () => {
  it("hides the values of token-like parameters and keeps the rest", () => {
    expect(
      redactUrl("/storage/v1/object/sign/lora-models/u/a/f.json?token=eyJhbGc.x.y&download=f.json"),
    ).toBe("/storage/v1/object/sign/lora-models/u/a/f.json?token=[redacted]&download=f.json");
    expect(redactUrl("http://h/files/j/x?exp=1&sig=abc#frag")).toBe(
      "http://h/files/j/x?exp=1&sig=[redacted]",
    );
    expect(redactUrl("/models?q=token&page=2")).toBe("/models?q=token&page=2");
    expect(redactUrl("/a?%74oken=secret")).toBe("/a?%74oken=[redacted]");
    expect(redactUrl("/no-query")).toBe("/no-query");
  });
});
