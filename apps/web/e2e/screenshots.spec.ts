import path from "node:path";

import { ADA, expect, LINUS, logIn, test } from "./fixtures";

const dir = path.join(import.meta.dirname, "..", "screenshots");

test.use({ viewport: { width: 1280, height: 900 } });

test("screenshots for review", async ({ page, context }) => {
  await logIn(context, ADA);
  await page.goto("/models");
  await expect(page.getByTestId("model-card").first()).toBeVisible();
  await page.screenshot({ path: path.join(dir, "models-list.png"), fullPage: true });

  await page.goto("/models?sort=quality");
  await page.getByTestId("model-card").first().getByRole("link").click();
  await expect(page.getByRole("img", { name: /Loss by training step/ })).toBeVisible();
  await page.screenshot({ path: path.join(dir, "model-detail.png"), fullPage: true });
  await expect(page.getByTestId("verify-files")).toBeVisible();
  await page
    .getByRole("region", { name: "Files" })
    .screenshot({ path: path.join(dir, "model-download-all.png") });

  await page.goto("/notifications");
  await expect(page.getByRole("heading", { name: "Notifications" })).toBeVisible();
  await page.screenshot({ path: path.join(dir, "notifications.png"), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/models");
  await page.screenshot({ path: path.join(dir, "models-list-mobile.png"), fullPage: true });

  await context.clearCookies();
  await logIn(context, LINUS);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/models");
  await expect(page.getByTestId("empty-state")).toBeVisible();
  await page.screenshot({ path: path.join(dir, "models-empty.png"), fullPage: true });
});
