import { readFile } from "node:fs/promises";

import type { Page } from "@playwright/test";

import type { DbClient } from "@mad/db";

import { ADA, expect, expectNoSidewaysScroll, GRACE, logIn, test } from "./fixtures";

test.use({ signedInAs: ADA });

/** One of Ada's stored models whose adapter facts match `where` (facts read at ingest). */
async function modelWhere(db: DbClient, where: "rank64" | "dora") {
  const rows = await db.sql<{ id: string; name: string; max_rank: number }[]>`
    select id, name, (adapter_facts ->> 'max_rank')::int as max_rank from model_artifacts
    where user_id = ${ADA.id} and status = 'stored' and deleted_at is null
      and adapter_facts is not null
      and (adapter_facts ->> 'use_dora')::boolean = ${where === "dora"}
      and jsonb_array_length(adapter_facts -> 'modules_to_save') = 0
      and (${where === "dora"} or (adapter_facts ->> 'max_rank')::int > 16)
    order by created_at desc limit 1`;
  expect(rows, `a stored ${where} model from the seed`).toHaveLength(1);
  return rows[0]!;
}

/** Goes to the page of one of Ada's models whose facts match `where` (see modelWhere). */
async function openModelWhere(page: Page, db: DbClient, where: "rank64" | "dora") {
  const model = await modelWhere(db, where);
  await page.goto(`/models/${model.id}`);
  return model;
}

for (const viewport of [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
]) {
  test.describe(`at ${viewport.width} px`, () => {
    test.use({ viewport });

    test("a rank > 16 adapter: its facts, and a vLLM command with --max-lora-rank", async ({
      page,
      db,
    }) => {
      const model = await openModelWhere(page, db, "rank64");
      const adapter = page.getByRole("region", { name: "Adapter", exact: true });
      await expect(adapter).toContainText(`Rank${model.max_rank}`);
      const vllm = page.getByRole("group", { name: "vLLM" });
      await expect(vllm).toContainText("Loads with the settings below");
      await expect(vllm.getByLabel("vLLM command", { exact: true })).toContainText(
        `--max-lora-rank ${model.max_rank}`,
      );
      await expect(page.getByRole("region", { name: "What happened in training" })).toBeVisible();
      await expectNoSidewaysScroll(page);
      await page.screenshot({
        path: `test-results/screenshots/model-adapter-${viewport.width}.png`,
        fullPage: true,
      });
    });

    test("a DoRA adapter: vLLM says why it does not load, and shows no command", async ({
      page,
      db,
    }) => {
      await openModelWhere(page, db, "dora");
      const vllm = page.getByRole("group", { name: "vLLM" });
      await expect(vllm).toContainText("Does not load");
      await expect(vllm).toContainText("vLLM does not support DoRA");
      await expect(vllm.locator("pre")).toHaveCount(0);
      await expect(page.getByRole("group", { name: "PEFT / transformers" })).toContainText(
        'pip install "peft>=0.9.0" transformers',
      );
    });
  });
}

test("the model card downloads as the README.md the page shows", async ({ page, db }) => {
  await openModelWhere(page, db, "rank64");
  await page.getByText("Show the card").click();
  const shown = await page.getByLabel("Model card (README.md)", { exact: true }).innerText();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download README.md" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("README.md");
  const text = await readFile(await download.path(), "utf8");
  expect(text.startsWith("---\nbase_model: ")).toBe(true);
  expect(text).toContain("library_name: peft");
  expect(text.trim()).toBe(shown.trim());
});

test("details are saved without JavaScript, and another user's card is a 404", async ({
  browser,
  db,
}) => {
  const model = await modelWhere(db, "dora");
  const context = await browser.newContext({ javaScriptEnabled: false });
  await logIn(context, ADA);
  const page = await context.newPage();
  await page.goto(`/models/${model.id}`);
  await page.getByText("Edit details…").click();
  await page.getByLabel("Description (Markdown)").fill("Answers **support** tickets.");
  await page.getByLabel("Tags (comma-separated)").fill("Support, e2e-tag");
  await page.getByRole("button", { name: "Save details" }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${model.id}$`));
  await expect(page.getByText("Details saved.")).toBeVisible();
  const about = page.getByRole("region", { name: "About this model" });
  await expect(about.locator("strong", { hasText: "support" })).toBeVisible();
  await expect(about.getByRole("link", { name: "e2e-tag" })).toBeVisible();
  await context.close();

  const grace = await browser.newContext();
  await logIn(grace, GRACE);
  const answer = await grace.request.get(`/models/${model.id}/README.md`);
  expect(answer.status()).toBe(404);
  await grace.close();
});
