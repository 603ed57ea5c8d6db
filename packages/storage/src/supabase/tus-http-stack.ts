/**
 * tus-js-client's Node HTTP stack with a timeout per request: a socket that moves no byte for
 * `timeoutMs` (a frozen server, a half-open connection) is destroyed with StorageRequestTimeout,
 * which tus-js-client treats like any other network error — it waits its next retry delay and
 * resumes from the server's offset.
 */
import type { ClientRequest } from "node:http";

import {
  DefaultHttpStack,
  type HttpRequest,
  type HttpResponse,
  type HttpStack,
} from "tus-js-client";

import { StorageRequestTimeout } from "./classify";

export function createTimedHttpStack(timeoutMs: number): HttpStack {
  const inner = new DefaultHttpStack({});
  return {
    getName: () => "TimedNodeHttpStack",
    createRequest(method: string, url: string): HttpRequest {
      const request = inner.createRequest(method, url);
      return {
        getMethod: () => request.getMethod(),
        getURL: () => request.getURL(),
        setHeader: (header, value) => request.setHeader(header, value),
        getHeader: (header) => request.getHeader(header),
        setProgressHandler: (handler) => request.setProgressHandler(handler),
        abort: () => request.abort(),
        getUnderlyingObject: () => request.getUnderlyingObject() as unknown,
        send(body: unknown): Promise<HttpResponse> {
          // The node stack creates its ClientRequest synchronously inside send().
          const sent = request.send(body);
          const client = request.getUnderlyingObject() as ClientRequest | null;
          client?.setTimeout(timeoutMs, () => client.destroy(new StorageRequestTimeout(timeoutMs)));
          return sent;
        },
      };
    },
  };
}
