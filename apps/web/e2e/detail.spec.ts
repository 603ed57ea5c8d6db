import type { DbClient } from "@mad/db";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { ADA, expect, GRACE, logIn, sha256OfFile, test } from "./fixtures";

const run = promisify(execFile);

test.beforeEach(async ({ context }) => {
  await logIn(context, ADA);
});

/** The newest stored, rated model (a rated one has a real loss curve to draw). */
async function newestStoredModel(db: DbClient, userId: string) {
  const [row] = await db.sql<{ id: string; job_id: string; name: string }[]>`
    select id, job_id, name from model_artifacts
    where user_id = ${userId} and status = 'stored' and deleted_at is null
    order by quality_score is null, created_at desc limit 1`;
  return row!;
}

test("the loss chart is drawn from the model's real metrics", async ({ page, db }) => {
  const model = await newestStoredModel(db, ADA.id);
  const [counts] = await db.sql<
    { training: number; validation: number; first: number; last: number }[]
  >`
    select count(training_loss)::int as training, count(validation_loss)::int as validation,
           min(step)::int as first, max(step)::int as last
    from metrics_points where job_id = ${model.job_id}
      and (training_loss is null or training_loss::text not in ('NaN', 'Infinity', '-Infinity'))`;
  await page.goto(`/models/${model.id}`);
  await expect(page.getByRole("heading", { level: 1, name: model.name })).toBeVisible();
  const chart = page.getByRole("img", { name: /Loss by training step/ });
  await expect(chart).toBeVisible();
  if (counts!.training <= 600) {
    await expect(chart).toHaveAttribute("data-training-points", String(counts!.training));
    await expect(chart).toHaveAttribute("data-validation-points", String(counts!.validation));
  }
  await expect(chart).toHaveAttribute("data-last-step", String(counts!.last));
  await expect(page.locator("figcaption")).toContainText(`at step ${counts!.last}`);
  await expect(page.getByTestId("quality-explanation")).toContainText("Training loss");
});

test("one file and 'Download all' download the exact bytes the page lists", async ({
  page,
  db,
}) => {
  const model = await newestStoredModel(db, ADA.id);
  await page.goto(`/models/${model.id}`);
  const rows = page.getByTestId("file-row");
  const count = await rows.count();
  expect(count).toBeGreaterThan(0);
  const expected = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const row = rows.nth(i);
    const name = (await row.locator("p.font-mono").innerText()).trim();
    expected.set(name, (await row.getByTestId("sha256").innerText()).trim());
  }

  const firstName = [...expected.keys()][0]!;
  const [single] = await Promise.all([
    page.waitForEvent("download"),
    rows.first().getByTestId("download-file").click(),
  ]);
  expect(single.suggestedFilename()).toBe(firstName);
  expect(await sha256OfFile(await single.path())).toBe(expected.get(firstName));

  // "Download all" is one ZIP of every file plus SHA256SUMS, which the real tools accept.
  const [bundle] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("download-all").click(),
  ]);
  expect(bundle.suggestedFilename()).toBe(`${model.name}.zip`);
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

test("another user's model, an unknown id and a malformed id show the same not-found page", async ({
  page,
  db,
}) => {
  const graces = await newestStoredModel(db, GRACE.id);
  for (const path of [
    `/models/${graces.id}`,
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
