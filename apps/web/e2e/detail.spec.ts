import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import type { Page } from "@playwright/test";

import { createStoredModel } from "../app/testing/stored-models";
import {
  atEachWidth,
  expect,
  expectAxeClean,
  logIn,
  newUser,
  sha256OfFile,
  test,
  waitForHydration,
} from "./fixtures";

const run = promisify(execFile);

test.use({ signedInAs: "user" });

/** Every drawn coordinate of the visible chart, and its plot box (in the SVG's own units). */
async function visibleChart(page: Page) {
  const chart = page.getByRole("img", { name: /Loss by training step/ });
  await expect(chart).toBeVisible();
  const [left = 0, top = 0, right = 0, bottom = 0] = (await chart.getAttribute("data-plot"))!
    .split(" ")
    .map(Number);
  const coordinates: number[][] = [];
  for (const path of await chart.locator("path[data-series]").all()) {
    for (const match of (await path.getAttribute("d"))!.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g))
      coordinates.push([Number(match[1]), Number(match[2])]);
  }
  for (const dot of await chart.locator("circle").all())
    coordinates.push([Number(await dot.getAttribute("cx")), Number(await dot.getAttribute("cy"))]);
  const labelHeights: number[] = [];
  for (const text of await chart.locator("text").all())
    labelHeights.push((await text.boundingBox())!.height);
  return {
    variant: await chart.getAttribute("data-variant"),
    box: { left, top, right, bottom },
    coordinates,
    smallestLabelPx: Math.min(...labelHeights),
  };
}

atEachWidth((width) => {
  test("the loss chart holds every point of a 224-step run, with readable labels", async ({
    page,
    models,
  }) => {
    const { artifact, job, points } = await models.stored({ steps: 224, kind: "good" });
    await page.goto(`/models/${artifact.id}`);
    await expect(page.getByRole("heading", { level: 1, name: artifact.name })).toBeVisible();
    // When it was trained: the job's completion.
    await expect(page.locator("header").getByTestId("trained-at")).toHaveAttribute(
      "datetime",
      job.completedAt!.toISOString(),
    );
    const chart = page.getByRole("img", { name: /Loss by training step/ });
    await expect(chart).toHaveAttribute("data-training-points", String(points.length));
    await expect(chart).toHaveAttribute("data-last-step", String(points.at(-1)!.step));
    const drawn = await visibleChart(page);
    expect(drawn.variant).toBe(width < 640 ? "narrow" : "wide");
    expect(drawn.coordinates.length).toBeGreaterThan(224);
    for (const [x, y] of drawn.coordinates) {
      expect(x!).toBeGreaterThanOrEqual(drawn.box.left - 0.1);
      expect(x!).toBeLessThanOrEqual(drawn.box.right + 0.1);
      expect(y!).toBeGreaterThanOrEqual(drawn.box.top - 0.1);
      expect(y!).toBeLessThanOrEqual(drawn.box.bottom + 0.1);
    }
    // Once ≈ 5 px on a phone.
    expect(drawn.smallestLabelPx).toBeGreaterThanOrEqual(10);
    await expect(page.getByTestId("quality-explanation")).toContainText("Training loss");
  });
});

atEachWidth((width) => {
  test("an overfitting run: the story says where it began and the chart marks it", async ({
    page,
    models,
  }) => {
    const { artifact } = await models.stored({ steps: 240, kind: "overfit" });
    await page.goto(`/models/${artifact.id}`);
    const story = page.getByRole("region", { name: "What happened in training" });
    const sentence = story.getByText(/^Overfitting began at step \d+/);
    await expect(sentence).toBeVisible();
    const onset = Number(/step (\d+)/.exec(await sentence.innerText())![1]);
    const best = Number(
      /lowest at step (\d+)/.exec(await story.getByText(/lowest at step/).innerText())![1],
    );

    const drawn = await visibleChart(page);
    const chart = page.getByRole("img", { name: /Loss by training step/ });
    for (const [kind, step] of [
      ["overfitting_onset", onset],
      ["best_step", best],
    ] as const) {
      const marker = chart.locator(`[data-marker="${kind}"]`);
      await expect(marker).toHaveAttribute("data-step", String(step));
      // The marker is inside the plot, and its label is readable and on the screen.
      const x = Number(await marker.locator("line").getAttribute("x1"));
      expect(x).toBeGreaterThanOrEqual(drawn.box.left);
      expect(x).toBeLessThanOrEqual(drawn.box.right);
      const label = (await marker.locator("text").boundingBox())!;
      expect(label.height).toBeGreaterThanOrEqual(10);
      expect(label.x).toBeGreaterThanOrEqual(0);
      expect(label.x + label.width).toBeLessThanOrEqual(width);
    }
    await expectAxeClean(
      page,
      `section[aria-labelledby="story-title"]`,
      `section[aria-labelledby="curve-title"]`,
    );
  });
});

test("a history of one point is drawn as a dot", async ({ page, models }) => {
  const { artifact } = await models.stored({ kind: "unrated" });
  await page.goto(`/models/${artifact.id}`);
  const chart = page.getByRole("img", { name: /Loss by training step/ });
  await expect(chart).toHaveAttribute("data-training-points", "1");
  await expect(chart.locator('circle[data-dot="training"]')).toBeVisible();
});

test("one file and 'Download all' download the exact bytes, also when storage is on another origin", async ({
  page,
  context,
  user,
  models,
  stack,
}) => {
  // The page at localhost while PUBLIC_BASE_URL (where the local backend signs its links) is
  // 127.0.0.1: the links are on another origin, as Supabase Storage's always are.
  const otherOrigin = stack.baseUrl.replace("127.0.0.1", "localhost");
  expect(otherOrigin).not.toBe(stack.baseUrl);
  await logIn(context, user, otherOrigin);
  const { artifact } = await models.stored();
  await page.goto(`${otherOrigin}/models/${artifact.id}`);
  await waitForHydration(page);
  const rows = page.getByTestId("file-row");
  await expect(rows).toHaveCount(artifact.files.length);
  const expected = new Map(artifact.files.map((file) => [file.name, file.sha256]));

  const first = artifact.files[0]!;
  const [single] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`[data-testid="download-file"][data-file="${first.name}"]`).click(),
  ]);
  expect(single.suggestedFilename()).toBe(first.name);
  expect(single.url().startsWith(stack.baseUrl)).toBe(true);
  expect(await sha256OfFile(await single.path())).toBe(first.sha256);
  await expect(page.getByTestId("download-links")).toContainText(
    `Your download of ${first.name} is starting.`,
  );
  // The button was never disabled under the keyboard user's focus.
  await expect(
    page.locator(`[data-testid="download-file"][data-file="${first.name}"]`),
  ).toBeFocused();

  // "Download all" is one ZIP of every file plus SHA256SUMS, which the real tools accept.
  const [bundle] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("download-all").click(),
  ]);
  expect(bundle.suggestedFilename()).toBe(`${artifact.name}.zip`);
  const out = await mkdtemp(path.join(tmpdir(), "e2e-bundle-"));
  try {
    const zip = await bundle.path();
    expect((await run("unzip", ["-t", zip])).stdout).toContain("No errors detected");
    await run("unzip", ["-q", zip, "-d", out]);
    const checked = (await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: out })).stdout;
    for (const [name, sha256] of expected) {
      expect(checked).toContain(`${name}: OK`);
      expect(await sha256OfFile(path.join(out, name))).toBe(sha256);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  await expect(page.getByTestId("verify-command")).toHaveText("sha256sum -c SHA256SUMS");
});

test("a download that cannot be signed says so instead of doing nothing", async ({
  page,
  models,
}) => {
  const { artifact } = await models.stored();
  await page.goto(`/models/${artifact.id}`);
  await expect(page.getByTestId("file-row").first()).toBeVisible();
  // Deleted (in another tab) after the page was opened.
  await models.softDelete(artifact.id);
  await page.getByTestId("download-file").first().click();
  await expect(page.getByTestId("error-page")).toContainText(
    "This model does not exist, was deleted, or belongs to someone else.",
  );
});

test("another user's model, an unknown id and a malformed id show the same not-found page", async ({
  page,
  db,
  storage,
}) => {
  const someoneElse = await createStoredModel(db, storage, { userId: newUser().id });
  for (const path of [
    `/models/${someoneElse.artifact.id}`,
    "/models/00000000-0000-4000-8000-000000000000",
    "/models/not-a-model",
  ]) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(404);
    await expect(page.getByTestId("error-page")).toContainText(
      "This model does not exist, was deleted, or belongs to someone else.",
    );
  }
});
