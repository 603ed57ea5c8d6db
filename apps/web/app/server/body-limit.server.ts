/**
 * Refuses request bodies over a limit before any of it is read (issue 11, item 12): Remix and
 * tRPC read a body whole into memory (`request.formData()`, `request.json()`), so a 200 MB POST
 * once grew the process by 600 MB. Runs in server.js ahead of every route (tRPC, form actions,
 * the login form).
 *
 * The declared Content-Length is what is checked: Node's HTTP parser never hands a handler more
 * bytes than it declares. A body without one (chunked) cannot be checked up front, so it is
 * refused with 411; browsers and the typed client always send a length.
 *
 * A refused body is never read into memory: it is dropped as it arrives, for at most LINGER_MS.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/** How long a refused body may keep arriving (dropped unread) before the connection is cut. */
export const LINGER_MS = 10_000;

export type NodeMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
) => void;

export interface BodyRefusal {
  status: 411 | 413;
  message: string;
}

/** Why a request must be refused for its body's size, or null to let it through. */
export function bodyRefusal(
  headers: IncomingMessage["headers"],
  limitBytes: number,
): BodyRefusal | null {
  const declared = headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (Number.isSafeInteger(length) && length <= limitBytes) return null;
    return {
      status: 413,
      message: `The request body is larger than this server accepts (at most ${limitBytes} bytes).`,
    };
  }
  if (headers["transfer-encoding"] !== undefined) {
    return {
      status: 411,
      message: "Send the request body with a Content-Length header.",
    };
  }
  return null;
}

export function bodyLimit(
  limitBytes: number,
  { lingerMs = LINGER_MS }: { lingerMs?: number } = {},
): NodeMiddleware {
  return (request, response, next) => {
    const refusal = bodyRefusal(request.headers, limitBytes);
    if (!refusal) {
      next();
      return;
    }
    const json = request.url?.startsWith("/api/") ?? false;
    const body = json
      ? JSON.stringify({ error: { message: refusal.message, code: "PAYLOAD_TOO_LARGE" } })
      : refusal.message;
    // Node would close a connection the client marked "Connection: close" as soon as the answer
    // is sent, with the rest of the body unread; see below for why it must not.
    response.shouldKeepAlive = true;
    response.writeHead(refusal.status, {
      "Content-Type": json ? "application/json" : "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
    });
    response.end(body);
    // A lingering close, as nginx's: the client is still sending the body it declared. Closing
    // the socket with those bytes unread makes the kernel answer them with a reset, which can
    // discard the 413 before the client has read it (a browser then shows "connection reset").
    // So Node reads and drops the rest (no route ever sees it), and a client still sending
    // after `lingerMs` is cut off.
    const cutOff = setTimeout(() => request.socket.destroy(), lingerMs);
    cutOff.unref();
    request.once("end", () => clearTimeout(cutOff));
    request.socket.once("close", () => clearTimeout(cutOff));
  };
}
