import { expect } from "vitest";

/**
 * Checks the answer Supabase Storage gives a range it cannot serve (past the end, reversed,
 * multiple, malformed), which the local download handler copies: 416 with this JSON body.
 */
export async function expectInvalidRange(response: Response): Promise<void> {
  expect(response.status).toBe(416);
  expect(response.headers.get("content-range")).toBeNull();
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(await response.json()).toEqual({
    statusCode: "416",
    error: "invalid_range",
    message: "invalid range provided",
    code: "InvalidRange",
  });
}
