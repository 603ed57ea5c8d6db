/**
 * The HTTP stack tus-js-client sends its requests with: plain `node:http(s)` with a timeout per
 * request — a socket that moves no byte for `timeoutMs` (a frozen server, a half-open connection)
 * is destroyed with StorageRequestTimeout, which tus-js-client treats like any other network
 * error: it waits its next retry delay and resumes from the server's offset. (tus-js-client's own
 * Node stack has no timeout and parses URLs with the deprecated `url.parse`.) Bodies are the
 * chunk views of tus-source.ts, written as they are.
 */
import http, { type ClientRequest, type IncomingMessage } from "node:http";
import https from "node:https";

import type { HttpRequest, HttpResponse, HttpStack } from "tus-js-client";

import { StorageRequestTimeout } from "./classify";

class TimedResponse implements HttpResponse {
  constructor(
    private readonly response: IncomingMessage,
    private readonly body: string,
  ) {}
  getStatus(): number {
    return this.response.statusCode ?? 0;
  }
  getHeader(header: string): string | undefined {
    const value = this.response.headers[header.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  }
  getBody(): string {
    return this.body;
  }
  getUnderlyingObject(): unknown {
    return this.response;
  }
}

class TimedRequest implements HttpRequest {
  private readonly headers: Record<string, string> = {};
  private request: ClientRequest | null = null;
  private onProgress: (bytesSent: number) => void = () => {};

  constructor(
    private readonly method: string,
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  getMethod(): string {
    return this.method;
  }
  getURL(): string {
    return this.url;
  }
  setHeader(header: string, value: string): void {
    this.headers[header] = value;
  }
  getHeader(header: string): string | undefined {
    return this.headers[header];
  }
  setProgressHandler(handler: (bytesSent: number) => void): void {
    this.onProgress = handler;
  }
  getUnderlyingObject(): unknown {
    return this.request;
  }
  abort(): Promise<void> {
    this.request?.destroy();
    return Promise.resolve();
  }

  send(body: unknown = null): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const url = new URL(this.url);
      const bytes = body instanceof Uint8Array ? body : null;
      const headers = { ...this.headers, "Content-Length": String(bytes?.byteLength ?? 0) };
      const request = (url.protocol === "https:" ? https : http).request(url, {
        method: this.method,
        headers,
      });
      this.request = request;
      request.setTimeout(this.timeoutMs, () =>
        request.destroy(new StorageRequestTimeout(this.timeoutMs)),
      );
      request.on("error", reject);
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve(new TimedResponse(response, Buffer.concat(chunks).toString("utf8"))),
        );
      });
      if (bytes) {
        request.end(bytes, () => this.onProgress(bytes.byteLength));
      } else {
        request.end();
      }
    });
  }
}

export function createTimedHttpStack(timeoutMs: number): HttpStack {
  return {
    getName: () => "TimedNodeHttpStack",
    createRequest: (method, url) => new TimedRequest(method, url, timeoutMs),
  };
}
