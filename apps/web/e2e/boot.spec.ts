/**
 * Start-up refuses a deployment that cannot work: server.js with a Supabase key the storage
 * server refuses exits 1 with a message that names the setting, before its port ever opens (it
 * used to listen, answer /healthz and fail each request instead). With WEB_CONCURRENCY=2 the
 * primary stops too rather than restarting the failing workers forever.
 */
import { startSupabaseStandin, type SupabaseStandin } from "@mad/storage/testing";

import { expect, test } from "./fixtures";
import { startServerProcess } from "./support/server-process";

/** A JWT that claims the service role but is signed by no key the server knows. */
function forgedServiceRoleKey(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ role: "service_role" })}.${Buffer.alloc(32, 1).toString("base64url")}`;
}

let supabase: SupabaseStandin;
test.beforeAll(async () => {
  supabase = await startSupabaseStandin();
});
test.afterAll(async () => {
  await supabase?.close();
});

for (const workers of [1, 2]) {
  test(`with WEB_CONCURRENCY=${workers} a refused storage key stops the server before it listens`, async ({
    stack,
  }) => {
    test.setTimeout(60_000);
    const key = forgedServiceRoleKey();
    const server = await startServerProcess(stack, {
      WEB_CONCURRENCY: String(workers),
      STORAGE_BACKEND: "supabase",
      SUPABASE_STORAGE_URL: supabase.url,
      SUPABASE_SERVICE_ROLE_KEY: key,
    });
    let exitCode: number | null | undefined;
    const exited = server.exited.then((code) => {
      exitCode = code;
    });
    try {
      // Until it exits, nothing may answer on its port.
      const answers: number[] = [];
      while (exitCode === undefined) {
        const response = await fetch(`${server.origin}/healthz`).catch(() => null);
        if (response) answers.push(response.status);
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 50))]);
      }
      expect(exitCode).toBe(1);
      expect(answers).toEqual([]);
      const output = server.output();
      expect(output).toContain("The dashboard cannot start.");
      expect(output).toContain("SUPABASE_SERVICE_ROLE_KEY: was refused by the storage server");
      expect(output).not.toContain(key);
      expect(output).not.toContain("starting another");
    } finally {
      server.kill();
    }
  });
}
