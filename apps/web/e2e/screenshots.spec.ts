import path from "node:path";

import { expect, logIn, newUser, test } from "./fixtures";
import { reviewPages, WIDTHS } from "./support/review-pages";

/** Review screenshots of every page at both widths, in apps/web/screenshots/ (git-ignored). */
const dir = path.join(import.meta.dirname, "..", "screenshots");

test("screenshots of every page at 1280 and 390 px", async ({ page, context, user, models }) => {
  test.setTimeout(180_000);
  const pages = await reviewPages(models);
  const empty = newUser();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const review of pages) {
      await context.clearCookies();
      if (review.as !== "nobody") await logIn(context, review.as === "owner" ? user : empty);
      const response = await page.goto(review.path);
      expect(response!.status(), review.name).toBe(review.status ?? 200);
      await page.locator("h1").first().waitFor();
      await review.prepare?.(page);
      await page.screenshot({
        path: path.join(dir, `${review.name}-${size.width}.png`),
        fullPage: true,
      });
    }
  }
});
