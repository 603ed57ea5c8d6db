import { data } from "@remix-run/node";
import { describe, expect, it } from "vitest";

import { redactUrlsIn, requestFields, routeErrorReason } from "./log-fields.server";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret.sig";

describe("log fields", () => {
  it("redacts the token of a signed URL in the request's path", () => {
    const fields = requestFields(
      new Request(`http://localhost/storage/v1/object/sign/b/u/a/f.json?token=${TOKEN}`),
    );
    expect(fields.path).toBe("/storage/v1/object/sign/b/u/a/f.json?token=[redacted]");
  });

  it("redacts URLs quoted in Remix's own 'no route matches' reason", () => {
    // The shape of Remix's own ErrorResponse for an unmatched URL.
    const notFound = {
      status: 404,
      statusText: "Not Found",
      internal: true,
      data: "Error: No route matches URL",
      error: new Error(
        `No route matches URL "/storage/v1/object/sign/x?token=${TOKEN}&download=f"`,
      ),
    };
    const reason = routeErrorReason(notFound);
    expect(reason).not.toContain(TOKEN);
    expect(reason).toBe(
      'No route matches URL "/storage/v1/object/sign/x?token=[redacted]&download=f"',
    );
    expect(redactUrlsIn(`see /a?sig=${TOKEN} and /b?page=2`)).toBe(
      "see /a?sig=[redacted] and /b?page=2",
    );
    expect(routeErrorReason(data({}, { status: 500 }))).toBe("error");
  });
});
