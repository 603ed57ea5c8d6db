/**
 * The GET a file download makes: node:http(s) by default — its Node stream body costs far less
 * per chunk than fetch's web stream (measured: fewer allocations, less GC at ~1 GB/s) — or any
 * fetch-compatible function (tests, proxies).
 */
import { type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

export interface GetResponse {
  status: number;
  header(name: string): string | null;
  body: Readable;
}

export type HttpGet = (
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
) => Promise<GetResponse>;

export const nodeHttpGet: HttpGet = (url, headers, signal) =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(target, { method: "GET", headers, ...(signal ? { signal } : {}) });
    request.once("response", (response: IncomingMessage) => {
      resolve({
        status: response.statusCode ?? 0,
        header: (name) => {
          const value = response.headers[name.toLowerCase()];
          return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
        },
        body: response,
      });
    });
    request.once("error", reject);
    request.end();
  });

export function fetchGet(fetchImpl: typeof fetch): HttpGet {
  return async (url, headers, signal) => {
    const response = await fetchImpl(url, { headers, ...(signal ? { signal } : {}) });
    return {
      status: response.status,
      header: (name) => response.headers.get(name),
      body: response.body
        ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
        : Readable.from([]),
    };
  };
}
