import { describe, expect, it } from "vitest";

import { downloadOrigins, securityHeaders } from "./headers.server";

const csp = (origins?: string[]) => {
  const headers = new Headers();
  securityHeaders(headers, { nonce: "n0nce", production: true, downloadOrigins: origins });
  return headers.get("Content-Security-Policy")!;
};

describe("securityHeaders", () => {
  it("lets a form's redirect reach the storage origins, and nothing else", () => {
    expect(csp()).toContain("form-action 'self';");
    expect(csp(["http://localhost:3000", "https://ref.supabase.co"])).toContain(
      "form-action 'self' http://localhost:3000 https://ref.supabase.co;",
    );
  });
});

describe("downloadOrigins", () => {
  it("is the public origin, plus Supabase Storage's when that is the backend", () => {
    expect(
      downloadOrigins({ PUBLIC_BASE_URL: "http://localhost:3000", STORAGE_BACKEND: "local" }),
    ).toEqual(["http://localhost:3000"]);
    expect(
      downloadOrigins({
        PUBLIC_BASE_URL: "https://models.example.com",
        STORAGE_BACKEND: "supabase",
        SUPABASE_STORAGE_URL: "https://ref.supabase.co/storage/v1",
      }),
    ).toEqual(["https://models.example.com", "https://ref.supabase.co"]);
  });
});
