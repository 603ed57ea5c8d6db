/**
 * The CLI tests' world: the real API over HTTP on loopback (tRPC handler, embedded Postgres,
 * local storage behind its real signed-URL handler) from @mad/api's test env, with a hook on
 * the storage downloads to slow them down, cut them or count their Range headers.
 */
import { randomUUID } from "node:crypto";

import { createModelsClient } from "@mad/api/client";
import { type ApiTestEnv, useApiTestEnv } from "@mad/api/testing/env";
import { insertStoredArtifactWithFiles } from "@mad/api/testing/fixtures";

export interface DownloadHooks {
  /** Milliseconds to wait before each chunk of a storage download (0: full speed). */
  chunkDelayMs: number;
  /** Cut the next response to a path ending with this after this many bytes (then reset). */
  cutNext: { suffix: string; afterBytes: number } | null;
  /** `Range` header (or null) of every storage download request, by file name. */
  ranges: { file: string; range: string | null }[];
}

export interface CliWorld {
  env: ApiTestEnv;
  hooks: DownloadHooks;
  /** A user with a stored model of these files; a client and a token for them. */
  storedModel(contents: Record<string, string | Buffer>): Promise<{
    userId: string;
    modelId: string;
    token: string;
    client: ReturnType<typeof createModelsClient>;
  }>;
}

export function useCliWorld(): CliWorld {
  const hooks: DownloadHooks = { chunkDelayMs: 0, cutNext: null, ranges: [] };
  const env = useApiTestEnv(
    {},
    { wrapDownload: (handler) => hooked(handler, hooks), events: true },
  );
  return {
    env,
    hooks,
    async storedModel(contents) {
      const userId = randomUUID();
      const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
        userId,
        contents,
      });
      // Long-lived: tests move the clock forward to expire the storage's signed URLs.
      const token = await env.auth.mintAccessToken(userId, { expiresInSeconds: 7 * 86_400 });
      return {
        userId,
        modelId: artifact.id,
        token,
        client: createModelsClient({ baseUrl: env.server.url, token }),
      };
    },
  };
}

function hooked(
  handler: (request: Request) => Promise<Response>,
  hooks: DownloadHooks,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = decodeURIComponent(new URL(request.url).pathname.split("/").at(-1) ?? "");
    hooks.ranges.push({ file, range: request.headers.get("range") });
    const response = await handler(request);
    const cut = hooks.cutNext && file.endsWith(hooks.cutNext.suffix) ? hooks.cutNext : null;
    if (cut) hooks.cutNext = null;
    if (!response.body || (hooks.chunkDelayMs === 0 && !cut)) return response;
    const reader = (response.body as unknown as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (hooks.chunkDelayMs > 0) await new Promise((r) => setTimeout(r, hooks.chunkDelayMs));
        const next = await reader.next();
        if (next.done === true) {
          controller.close();
          return;
        }
        const value = next.value;
        if (cut && sent + value.byteLength > cut.afterBytes) {
          controller.enqueue(value.subarray(0, cut.afterBytes - sent));
          await reader.return?.();
          controller.error(new Error("connection reset (test)"));
          return;
        }
        sent += value.byteLength;
        controller.enqueue(value);
      },
      cancel: async () => {
        await reader.return?.();
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}
