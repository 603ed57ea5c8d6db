/**
 * Every page of the dashboard in the states a person meets it, for the accessibility checks and
 * the review screenshots (one list, so neither can skip a page). Each entry says who is logged
 * in (a fresh user with models made through the factories, a user with none, or nobody).
 */
import { type BrowserContext, expect, type Page } from "@playwright/test";

import { logIn, type ModelFactory, type TestUser, waitForHydration } from "../fixtures";

export interface ReviewPage {
  name: string;
  path: string;
  as: "owner" | "empty" | "nobody";
  status?: number;
  /** Brings the page into the state to look at (e.g. opens the values table). */
  prepare?: (page: Page) => Promise<void>;
}

export async function reviewPages(models: ModelFactory): Promise<ReviewPage[]> {
  const { artifact: stored } = await models.stored({ steps: 224, kind: "good" });
  const { artifact: overfit } = await models.stored({ steps: 40, kind: "overfit" });
  const { processing, failed } = await models.inFlight();
  const compared = `ids=${stored.id}&ids=${overfit.id}`;
  return [
    { name: "login", path: "/login", as: "nobody" },
    { name: "models-list", path: "/models", as: "owner" },
    { name: "models-list-by-quality", path: "/models?sort=quality", as: "owner" },
    { name: "models-no-results", path: "/models?q=zz-nothing", as: "owner" },
    { name: "models-empty", path: "/models", as: "empty" },
    {
      name: "model-detail",
      path: `/models/${stored.id}`,
      as: "owner",
      prepare: async (page) => {
        await page.getByText("Show the values as a table").click();
      },
    },
    {
      // A single file's links panel (JavaScript on: the download starts and the panel says so).
      name: "model-download-file",
      path: `/models/${stored.id}`,
      as: "owner",
      prepare: async (page) => {
        await waitForHydration(page);
        await page.getByTestId("verify-files").scrollIntoViewIfNeeded();
        await page.getByTestId("download-file").first().click();
        await page.getByTestId("download-links").waitFor();
      },
    },
    { name: "compare", path: `/models/compare?${compared}`, as: "owner" },
    { name: "compare-by-epoch", path: `/models/compare?${compared}&align=epoch`, as: "owner" },
    { name: "model-processing", path: `/models/${processing.id}`, as: "owner" },
    { name: "model-failed", path: `/models/${failed.id}`, as: "owner" },
    { name: "notifications", path: "/notifications", as: "owner" },
    { name: "notifications-none", path: "/notifications", as: "empty" },
    { name: "webhooks-none", path: "/settings/webhooks", as: "empty" },
    { name: "model-not-found", path: "/models/not-a-model", as: "owner", status: 404 },
    { name: "page-not-found", path: "/training/new", as: "owner", status: 404 },
    { name: "bad-request", path: `/models?q=${"x".repeat(120)}`, as: "owner", status: 400 },
  ];
}

export const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

/**
 * Opens a review page as its entry says (logged in as the owner, as a user without models, or
 * not at all), checks its status and brings it into the state to look at.
 */
export async function openReviewPage(
  page: Page,
  context: BrowserContext,
  review: ReviewPage,
  users: { owner: TestUser; empty: TestUser },
): Promise<void> {
  await context.clearCookies();
  if (review.as !== "nobody") await logIn(context, users[review.as]);
  const response = await page.goto(review.path);
  expect(response!.status(), review.name).toBe(review.status ?? 200);
  await page.locator("h1").first().waitFor();
  await review.prepare?.(page);
}
