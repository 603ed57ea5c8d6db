/**
 * Live updates without polling: a model page that is still being copied follows its progress
 * through models.events (server-sent events). The page's timers are fake, so the 4-second
 * polling fallback cannot be what moves the page: only the stream's event (and its 200 ms
 * coalescing timer, advanced by hand) can.
 */
import { recordIngestionProgress } from "@mad/db";

import { expect, test } from "./fixtures";

test.use({ signedInAs: "user" });

test("a model still being copied shows its progress as it happens, without polling", async ({
  page,
  models,
  db,
}) => {
  const { processing } = await models.inFlight();
  await page.clock.install();
  const dataRequests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.endsWith(".data")) dataRequests.push(request.url());
  });
  const stream = page.waitForResponse((response) =>
    response.url().includes("/api/trpc/models.events"),
  );
  await page.goto(`/models/${processing.id}`);
  const status = page.getByRole("status").filter({ hasText: "still being stored" });
  await expect(status).toContainText("700 MB of 1.5 GB copied");
  expect((await stream).headers()["content-type"]).toContain("text/event-stream");
  // The page has the stream's first event: polling is off from here (before it, it polls, so a
  // clock run too early would reload through the fallback, not the stream).
  await expect(status).toHaveAttribute("data-live-updates", "on");

  // Ten fake seconds: the polling fallback would have reloaded twice by now if it were on.
  await page.clock.runFor(10_000);
  expect(dataRequests).toEqual([]);

  await recordIngestionProgress(db.db, processing.id, 1_288_490_188, 1_610_612_736);
  await expect
    .poll(async () => {
      await page.clock.runFor(250);
      return status.textContent();
    })
    .toContain("1.2 GB of 1.5 GB copied");
  expect(dataRequests).toHaveLength(1);
});
