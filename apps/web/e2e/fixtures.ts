import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

import { createDb, type DbClient, DEMO_USERS } from "@mad/db";
import { type BrowserContext, test as base } from "@playwright/test";

import { mintSessionCookie } from "./support/session";
import type { StackInfo } from "./support/stacks";

export const [ADA, GRACE, LINUS] = DEMO_USERS;

export function stackInfo(): StackInfo {
  const raw = process.env.E2E_STACK;
  if (!raw)
    throw new Error("E2E_STACK is not set: run through playwright.config.ts (global setup)");
  return JSON.parse(raw) as StackInfo;
}

export function sessionCookieFor(
  userId: string,
  email: string,
): Promise<{ name: string; value: string }> {
  return mintSessionCookie(stackInfo(), { id: userId, email });
}

export async function logIn(
  context: BrowserContext,
  user: (typeof DEMO_USERS)[number],
): Promise<void> {
  const cookie = await sessionCookieFor(user.id, user.email);
  await context.addCookies([
    { ...cookie, url: stackInfo().baseUrl, httpOnly: true, sameSite: "Lax" },
  ]);
}

export async function sha256OfFile(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
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
