/**
 * Turns the API's errors (tRPC codes) into the HTTP answers of a page: NOT_FOUND → the 404
 * page, BAD_REQUEST → a 400 page that says what is wrong, anything else is rethrown (500).
 */
import { data } from "@remix-run/node";

interface CodedError {
  code: string;
  message: string;
}

function isCodedError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    (error.name === "TRPCError" || "code" in error) &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

export const NOT_FOUND_MESSAGE =
  "This model does not exist, was deleted, or belongs to someone else.";

export function notFound(message = NOT_FOUND_MESSAGE): never {
  throw data({ message }, { status: 404, statusText: "Not Found" });
}

export function badRequest(message: string): never {
  throw data({ message }, { status: 400, statusText: "Bad Request" });
}

export function apiErrorCode(error: unknown): string | null {
  return isCodedError(error) ? error.code : null;
}

/** Runs an API call; maps NOT_FOUND / BAD_REQUEST to thrown responses. */
export async function callApi<T>(run: () => Promise<T>, notFoundMessage?: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") notFound(notFoundMessage);
    if (code === "BAD_REQUEST") badRequest((error as Error).message);
    throw error;
  }
}
