/**
 * Serves a model's bundle at its signed URL (`…/bundles/{artifactId}/{name}.zip?token=…`):
 * `Content-Length` from the layout before the first byte, `Range` (one range; others get the
 * whole archive, as RFC 9110 allows) and `If-Range` (ETag or Last-Modified), HEAD. The token
 * only says who asked; ownership of the live, stored model is checked again in SQL here.
 */
import { attachmentDisposition, ifRangeAllows, parseRange } from "@mad/storage";

import type { ApiLogger } from "../context";
import { type BundleDeps, loadModelBundle, type ModelBundle } from "./model-bundle";
import { verifyBundleToken } from "./token";
import { zipBytes } from "./zip-stream";

export interface BundleHandlerDeps extends BundleDeps {
  signingSecret: string;
  logger: ApiLogger;
  now?: () => Date;
}

const NO_STORE = { "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" };

function plain(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" },
  });
}

export function createBundleHandler(
  deps: BundleHandlerDeps,
): (request: Request, artifactId: string) => Promise<Response> {
  const now = deps.now ?? (() => new Date());
  return async function handleBundle(request, artifactId) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response(null, { status: 405, headers: { Allow: "GET, HEAD" } });
    }
    const token = new URL(request.url).searchParams.get("token");
    const check = /^[0-9a-f-]{36}$/i.test(artifactId)
      ? await verifyBundleToken(deps.signingSecret, token, artifactId, now())
      : ({ ok: false, reason: "invalid" } as const);
    if (!check.ok) {
      return check.reason === "expired"
        ? plain(403, "This download link has expired. Ask for a new one on the model's page.")
        : plain(403, "This download link is not valid.");
    }
    const bundle = await loadModelBundle(deps, check.grant.userId, check.grant.artifactId);
    if (!bundle) return plain(404, "Model not found");
    return respond(request, bundle, deps.logger);
  };
}

function respond(request: Request, bundle: ModelBundle, logger: ApiLogger): Response {
  const total = bundle.layout.totalLength;
  const lastModified = new Date(Math.floor(bundle.storedAt.getTime() / 1000) * 1000);
  const headers = new Headers({
    ...NO_STORE,
    "Content-Type": "application/zip",
    "Content-Disposition": attachmentDisposition(bundle.fileName),
    "Accept-Ranges": "bytes",
    ETag: bundle.etag,
    "Last-Modified": lastModified.toUTCString(),
  });
  const ifRange = request.headers.get("if-range");
  const rangeApplies = ifRangeAllows(ifRange, { etag: bundle.etag, lastModified });
  const range = rangeApplies ? parseRange(request.headers.get("range"), total) : null;
  if (range === "invalid") {
    headers.set("Content-Range", `bytes */${total}`);
    return new Response(null, { status: 416, headers });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? total - 1;
  headers.set("Content-Length", String(end - start + 1));
  if (range) headers.set("Content-Range", `bytes ${start}-${end}/${total}`);
  const status = range ? 206 : 200;
  if (request.method === "HEAD") return new Response(null, { status, headers });

  const abort = new AbortController();
  const bytes = zipBytes(
    bundle.layout,
    bundle.entries,
    bundle.source,
    { start, end },
    abort.signal,
  );
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await bytes.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          if (abort.signal.aborted) return;
          logger.error(
            { artifactId: bundle.artifactId, err: error },
            "model bundle stream failed mid-way",
          );
          controller.error(error);
        }
      },
      async cancel() {
        abort.abort();
        await bytes.return(undefined).catch(() => undefined);
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(body, { status, headers });
}
