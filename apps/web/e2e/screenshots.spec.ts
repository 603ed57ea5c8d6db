import path from "node:path";

import { newUser, test } from "./fixtures";
import { openReviewPage, reviewPages, WIDTHS } from "./support/review-pages";

/** Review screenshots of every page at both widths, in apps/web/screenshots/ (git-ignored). */
const dir = path.join(import.meta.dirname, "..", "screenshots");

test("screenshots of every page at 1280 and 390 px", async ({ page, context, user, models }) => {
  test.setTimeout(180_000);
  const pages = await reviewPages(models);
  const empty = newUser();
  for (const size of WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const review of pages) {
      await openReviewPage(page, context, review, { owner: user, empty });
      await page.screenshot({
        path: path.join(dir, `${review.name}-${size.width}.png`),
        fullPage: true,
      });
    }
  }
});
