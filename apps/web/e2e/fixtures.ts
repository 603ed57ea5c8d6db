/**
 * The browser tests' fixtures. Each test gets a user of its own (a fresh id, no rows) and makes
 * the models it looks at through the lifecycle's factories (app/testing/stored-models.ts), so
 * nothing the pipeline's demo seed or another spec did changes what it sees. The seed's
 * artifacts are still checked once (pipeline.spec.ts): the stack refuses to start without them.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";

import AxeBuilder from "@axe-core/playwright";
import { type BrowserContext, expect, type Page, test as base } from "@playwright/test";

import { createDb, type DbClient, DEMO_USERS, softDeleteArtifact } from "@mad/db";
import { type ArtifactStorage, createStorage } from "@mad/storage";

import {
  createInFlightModels,
  createStoredModel,
  createStoredModels,
  type StoredModelOptions,
} from "../app/testing/stored-models";
import { mintSessionCookie } from "./support/session";
import type { StackInfo } from "./support/stacks";

export const [ADA, GRACE, LINUS] = DEMO_USERS;

export interface TestUser {
  id: string;
  email: string;
}

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

/** Logs `user` in for `url`'s origin (default: the stack's own). */
export async function logIn(
  context: BrowserContext,
  user: TestUser,
  url = stackInfo().baseUrl,
): Promise<void> {
  const cookie = await sessionCookieFor(user.id, user.email);
  await context.addCookies([{ ...cookie, url, httpOnly: true, sameSite: "Lax" }]);
}

/** Waits until the page's script runs: a click before that is the page's no-JavaScript path. */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Nothing on the page is wider than the viewport (no sideways scroll on a phone). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

/** No axe violation on the page, or in the parts the selectors pick. */
export async function expectAxeClean(page: Page, ...include: string[]): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const selector of include) builder = builder.include(selector);
  const results = await builder.analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
}

export async function sha256OfFile(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

export function newUser(): TestUser {
  const id = randomUUID();
  return { id, email: `e2e-${id.slice(0, 8)}@example.com` };
}

/** Models of the test's own user, made through the factories. */
export interface ModelFactory {
  stored: (options?: Partial<StoredModelOptions>) => ReturnType<typeof createStoredModel>;
  many: (count: number, steps?: number) => ReturnType<typeof createStoredModels>;
  inFlight: () => ReturnType<typeof createInFlightModels>;
  /** Deletes one of them now, behind the page's back (as from another tab). */
  softDelete: (artifactId: string) => ReturnType<typeof softDeleteArtifact>;
}

/** What a spec sets with `test.use`. */
export interface SpecOptions {
  /**
   * Who is logged in on the test's browser context before its page opens: nobody (null, the
   * default), the test's own fresh `user` ("user"), or the given (demo) user.
   */
  signedInAs: "user" | TestUser | null;
}

export const test = base.extend<
  SpecOptions & { db: DbClient; user: TestUser; models: ModelFactory },
  { stack: StackInfo; storage: ArtifactStorage }
>({
  signedInAs: [null, { option: true }],
  context: async ({ context, signedInAs, user }, use) => {
    if (signedInAs) await logIn(context, signedInAs === "user" ? user : signedInAs);
    await use(context);
  },
  stack: [async ({}, use) => use(stackInfo()), { scope: "worker" }],
  storage: [
    async ({ stack }, use) =>
      use(
        createStorage({
          backend: "local",
          rootDir: stack.storageDir,
          signingSecret: stack.storageSigningSecret,
          publicBaseUrl: stack.baseUrl,
          bucket: "lora-models",
        }),
      ),
    { scope: "worker" },
  ],
  baseURL: async ({}, use) => use(stackInfo().baseUrl),
  db: async ({}, use) => {
    const client = createDb(stackInfo().databaseUrl, { max: 2, applicationName: "mad-e2e" });
    await use(client);
    await client.close();
  },
  user: async ({}, use) => use(newUser()),
  models: async ({ db, storage, user }, use) => {
    let seed = 0;
    await use({
      stored: (options = {}) =>
        createStoredModel(db, storage, { userId: user.id, seed: ++seed, ...options }),
      many: (count, steps) =>
        createStoredModels(db, storage, { userId: user.id, count, steps, firstSeed: 100 }),
      inFlight: () => createInFlightModels(db, user.id),
      softDelete: (artifactId) =>
        softDeleteArtifact(db.db, { userId: user.id, artifactId, at: new Date() }),
    });
  },
});

/**
 * Declares the specs in `declare` once per width the dashboard is checked at, a desktop's and a
 * phone's (each 900 px tall), each group titled "at <width> px" and opened at that viewport.
 */
export function atEachWidth(declare: (width: number) => void): void {
  for (const width of [1280, 390]) {
    test.describe(`at ${width} px`, () => {
      test.use({ viewport: { width, height: 900 } });
      declare(width);
    });
  }
}

export { expect } from "@playwright/test";
