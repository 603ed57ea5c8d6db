import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDb, notifications } from "@mad/db";

import { createApiHandler } from "./http";
import { type ApiTestEnv, createApiTestEnv } from "./testing/env";
import { insertArtifact, insertStoredArtifactWithFiles } from "./testing/fixtures";

const SESSION_COOKIE = "mad-session";

let env: ApiTestEnv;
beforeAll(async () => {
  env = await createApiTestEnv({
    // Stand-in for the web app: its session cookie carries the access token.
    getSessionToken: (request) => {
      const cookie = request.headers.get("cookie") ?? "";
      const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie);
      return match?.[1] ?? null;
    },
  });
});
afterAll(async () => {
  await env.cleanup();
});

const api = (path: string) => `${env.server.url}/api/trpc/${path}`;
const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;

interface TrpcBody {
  result?: { data: { models?: Array<{ name: string }>; updated?: number } };
  error?: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      fieldErrors?: Record<string, string[]>;
      stack?: unknown;
    };
  };
}

interface RemoteFailure {
  code: string;
  message: string;
  fieldErrors?: Record<string, string[]>;
}

interface RemoteResult {
  total: number;
  names: string[];
  modelName: string;
  datasetName: string;
  files: string[];
  badInput: RemoteFailure;
  notFound: RemoteFailure;
  unauthorized: RemoteFailure;
  marked: { updated: number };
}

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(api(path), init);
  return {
    status: response.status,
    body: (await response.json()) as TrpcBody,
    headers: response.headers,
  };
}

describe("HTTP endpoint", () => {
  it("serves Bearer callers and refuses anonymous ones", async () => {
    const user = randomUUID();
    await insertArtifact(env.database.db, { userId: user, name: "Legal QA - 2026-11-23" });
    const token = await env.auth.mintAccessToken(user);
    const ok = await call(`models.list${input({ limit: 5 })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.result?.data.models?.[0]?.name).toBe("Legal QA - 2026-11-23");
    expect(ok.headers.get("x-request-id")).toMatch(/.{8,}/);
    expect(ok.headers.get("cache-control")).toBe("no-store");

    for (const headers of [
      {},
      { authorization: "Bearer nope" },
      { authorization: `Basic ${token}` },
    ]) {
      const denied = await call("models.list", { headers });
      expect(denied.status).toBe(401);
      expect(denied.body.error!.data.code).toBe("UNAUTHORIZED");
    }
    // An invalid Authorization header is not rescued by a valid cookie.
    const mixed = await call("models.list", {
      headers: { authorization: "Bearer nope", cookie: `${SESSION_COOKIE}=${token}` },
    });
    expect(mixed.status).toBe(401);
  });

  it("answers bad input with a readable BAD_REQUEST and fieldErrors, never a stack", async () => {
    const token = await env.auth.mintAccessToken(randomUUID());
    const bad = await call(`models.list${input({ limit: 500, page: -1 })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.message).toMatch(/^Invalid input — /);
    expect(bad.body.error!.message).toContain("limit");
    expect(bad.body.error!.message).toContain("page");
    expect(Object.keys(bad.body.error!.data.fieldErrors ?? {}).sort()).toEqual(["limit", "page"]);
    expect(bad.body.error!.data.stack).toBeUndefined();
    const uuid = await call(`models.byId${input({ modelId: "1; select pg_sleep(10)" })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(uuid.status).toBe(400);
    expect(uuid.body.error!.data.fieldErrors).toEqual({ modelId: ["must be a UUID"] });
    const garbage = await call("models.list?input=%7Bnot-json", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(garbage.status).toBe(400);
    const paths = Array.from({ length: 26 }, () => "notifications.unreadCount").join(",");
    const huge = await fetch(api(`${paths}?batch=1&input=%7B%7D`), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(huge.status).toBe(400);
  });

  it("answers the byte-identical NOT_FOUND for another user's, a deleted and an unknown model", async () => {
    const me = randomUUID();
    const { artifact: theirs } = await insertArtifact(env.database.db, { userId: randomUUID() });
    const { artifact: deleted } = await insertArtifact(env.database.db, {
      userId: me,
      deletedAt: new Date(),
    });
    const token = await env.auth.mintAccessToken(me);
    const headers = { authorization: `Bearer ${token}`, "x-request-id": "fixed-request-id-1" };
    const bodies = await Promise.all(
      [theirs.id, deleted.id, randomUUID()].map(async (modelId) => {
        const response = await fetch(api(`models.byId${input({ modelId })}`), { headers });
        expect(response.status).toBe(404);
        return response.text();
      }),
    );
    expect(new Set(bodies).size).toBe(1);
    expect((JSON.parse(bodies[0]!) as TrpcBody).error?.message).toBe("Model not found");
  });

  it("refuses cross-site mutations of cookie sessions (CSRF), but not Bearer calls or reads", async () => {
    const user = randomUUID();
    await env.database.db.insert(notifications).values({
      userId: user,
      type: "artifact_ready",
      title: "Model Ready for Download",
      message: "ready",
    });
    const token = await env.auth.mintAccessToken(user);
    const cookie = `${SESSION_COOKIE}=${token}`;
    const mutation = (headers: Record<string, string>) =>
      call("notifications.markRead", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ all: true }),
      });

    const evil = await mutation({ cookie, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body.error!.data.code).toBe("FORBIDDEN");
    expect((await mutation({ cookie, "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(
      (await mutation({ cookie, "sec-fetch-site": "same-site", origin: "https://sub.example" }))
        .status,
    ).toBe(403);
    expect((await mutation({ cookie })).status).toBe(403);
    expect((await env.caller(user).notifications.unreadCount()).count).toBe(1);

    const read = await call("notifications.unreadCount", {
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(read.status).toBe(200);

    const same = await mutation({
      cookie,
      origin: env.server.url,
      "sec-fetch-site": "same-origin",
    });
    expect(same.status).toBe(200);
    expect(same.body.result?.data).toEqual({ updated: 1 });
    expect((await mutation({ cookie, "sec-fetch-site": "same-origin" })).status).toBe(200);

    const bearer = await mutation({
      authorization: `Bearer ${token}`,
      origin: "https://evil.example",
    });
    expect(bearer.status).toBe(200);
  });

  it("logs an internal failure with its request id and answers without internals", async () => {
    const broken = createDb(env.database.url.replace(/\/[^/]+$/, "/no_such_database_here"), {
      max: 1,
    });
    const handler = createApiHandler({ ...env.deps, db: broken.db });
    const token = await env.auth.mintAccessToken(randomUUID());
    const response = await handler(
      new Request("http://127.0.0.1/api/trpc/models.list", {
        headers: { authorization: `Bearer ${token}` },
      }),
    );
    const text = await response.text();
    const requestId = response.headers.get("x-request-id")!;
    expect(response.status).toBe(500);
    expect((JSON.parse(text) as TrpcBody).error?.message).toBe(
      `Internal error (request id ${requestId})`,
    );
    expect(text).not.toMatch(/no_such_database_here|postgres|select|stack/i);
    const logged = env.logs.find((entry) => entry.details.requestId === requestId);
    expect(logged?.level).toBe("error");
    expect(logged?.details.path).toBe("models.list");
    const cause = (logged?.details.err as Error & { cause?: Error }).cause;
    expect(String(cause?.message)).toMatch(/no_such_database_here/);
    await broken.close();
  });

  it("serves the typed client of another Node process", async () => {
    const user = randomUUID();
    const { datasetId } = await insertArtifact(env.database.db, {
      userId: user,
      name: "A",
      score: 2,
      datasetName: "Contracts",
    });
    const { artifact } = await insertStoredArtifactWithFiles(env.database.db, env.storage, {
      userId: user,
      datasetId,
      name: "B",
      score: 5,
      contents: { "adapter_config.json": "{}", "adapter_model.safetensors": Buffer.alloc(10) },
    });
    const token = await env.auth.mintAccessToken(user);
    const script = fileURLToPath(new URL("./testing/remote-client.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(tsx, [script], {
        env: {
          ...process.env,
          API_BASE_URL: env.server.url,
          API_TOKEN: token,
          MODEL_ID: artifact.id,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`client exited ${code}: ${stderr}`)),
      );
    });
    const result = JSON.parse(output.trim().split("\n").at(-1)!) as RemoteResult;
    expect(result.total).toBe(2);
    expect(result.names).toEqual(["B", "A"]);
    expect(result.modelName).toBe("B");
    expect(result.datasetName).toBe("Contracts");
    expect(result.files.sort()).toEqual(["adapter_config.json", "adapter_model.safetensors"]);
    expect(result.badInput.code).toBe("BAD_REQUEST");
    expect(result.badInput.fieldErrors?.limit?.[0]).toMatch(/Too big/);
    expect(result.notFound).toEqual({ code: "NOT_FOUND", message: "Model not found" });
    expect(result.unauthorized.code).toBe("UNAUTHORIZED");
    // Each stored model announced itself once ("model ready"), whoever reads them now.
    expect(result.marked).toEqual({ updated: 2 });
  });
});
