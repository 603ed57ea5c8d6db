import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { createAuth } from "@mad/api";
import { createDb, type DbClient, DEMO_USERS } from "@mad/db";
import { type BrowserContext, test as base } from "@playwright/test";
import { createCookieSessionStorage } from "@remix-run/node";

import type { StackInfo } from "./support/stack";

export const [ADA, GRACE, LINUS] = DEMO_USERS;

export function stackInfo(): StackInfo {
  const raw = process.env.E2E_STACK;
  if (!raw) throw new Error("E2E_STACK is not set: run through playwright.config.ts (global setup)");
  return JSON.parse(raw) as StackInfo;
}

/** The session cookie a login would set, made with the server's own secrets. */
export async function sessionCookieFor(userId: string, email: string): Promise<{ name: string; value: string }> {
  const info = stackInfo();
  const auth = createAuth({ jwtSecret: info.authJwtSecret });
  const storage = createCookieSessionStorage({
    cookie: { name: "__mad_session", httpOnly: true, sameSite: "lax", path: "/", secrets: [info.sessionSecret] },
  });
  const session = await storage.getSession();
  session.set("accessToken", await auth.mintAccessToken(userId, { expiresInSeconds: 3600 }));
  session.set("email", email);
  const header = await storage.commitSession(session);
  const [pair] = header.split(";");
  const index = pair!.indexOf("=");
  return { name: pair!.slice(0, index), value: pair!.slice(index + 1) };
}

export async function logIn(context: BrowserContext, user: (typeof DEMO_USERS)[number]): Promise<void> {
  const cookie = await sessionCookieFor(user.id, user.email);
  await context.addCookies([{ ...cookie, url: stackInfo().baseUrl, httpOnly: true, sameSite: "Lax" }]);
}

export async function sha256OfFile(path: string): Promise<string> {
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

export const test = base.extend<{ db: DbClient }, { stack: StackInfo }>({
  stack: [async ({}, use) => use(stackInfo()), { scope: "worker" }],
  baseURL: async ({}, use) => use(stackInfo().baseUrl),
  db: async ({}, use) => {
    const client = createDb(stackInfo().databaseUrl, { max: 2, applicationName: "mad-e2e" });
    await use(client);
    await client.close();
  },
});

export { expect } from "@playwright/test";
