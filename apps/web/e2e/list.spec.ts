import { ADA, expect, logIn, test } from "./fixtures";

test.beforeEach(async ({ context }) => {
  await logIn(context, ADA);
});

test("sorts, searches, paginates and comes back to the same place", async ({ page, db }) => {
  const [row] = await db.sql<{ total: number }[]>`
    select count(*)::int as total from model_artifacts where user_id = ${ADA.id} and deleted_at is null`;
  const total = row!.total;
  await page.goto("/models");
  await expect(page.getByText(`${total} models`, { exact: true })).toBeVisible();
  const cards = page.getByTestId("model-card");
  await expect(cards).toHaveCount(Math.min(12, total));

  // Highest quality first: the first card has the best score in the database.
  const [best] = await db.sql<{ score: number }[]>`
    select max(quality_score)::int as score from model_artifacts where user_id = ${ADA.id} and deleted_at is null`;
  await page.getByLabel("Sort by").selectOption("quality");
  await expect(page).toHaveURL(/sort=quality/);
  await expect(
    cards.first().getByRole("img", { name: `${best!.score} out of 5 stars` }),
  ).toBeVisible();

  // Page 2 keeps the sort; the model page's back link returns to it.
  expect(total, "the seed gives this user more than one page of models").toBeGreaterThan(12);
  await page
    .getByRole("navigation", { name: "Pagination" })
    .getByRole("link", { name: "Next →" })
    .click();
  await expect(page).toHaveURL(/sort=quality&page=2|page=2&sort=quality/);
  await expect(page.getByText("Page 2 of")).toBeVisible();
  const name = await cards.first().getByRole("heading").innerText();
  await cards.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await page.getByTestId("back-link").click();
  await expect(page).toHaveURL(/\/models\?sort=quality&page=2$/);
  await expect(page.getByText("Page 2 of")).toBeVisible();
  await expect(page.getByLabel("Sort by")).toHaveValue("quality");
});

test("search narrows the list and says when nothing matches", async ({ page, db }) => {
  const [dataset] = await db.sql<{ name: string }[]>`
    select d.name from datasets d join model_artifacts a on a.dataset_id = d.id
    where a.user_id = ${ADA.id} and a.deleted_at is null order by a.created_at desc limit 1`;
  const word = dataset!.name.split(/\s+/)[0]!;
  await page.goto("/models");
  await page.getByRole("searchbox", { name: "Search" }).fill(word);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(word)}`));
  const cards = page.getByTestId("model-card");
  await expect(cards.first()).toBeVisible();
  for (const text of await cards.allInnerTexts())
    expect(text.toLowerCase()).toContain(word.toLowerCase());

  await page.getByRole("searchbox", { name: "Search" }).fill("zz-no-such-model-zz");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("no-results")).toContainText(
    "No models match “zz-no-such-model-zz”",
  );
});

test("bad query parameters give a normal page or a helpful 400, never a 500", async ({ page }) => {
  const normal = await page.goto("/models?page=abc&sort=evil&limit=10000");
  expect(normal!.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Your models" })).toBeVisible();
  const tooLong = await page.goto(`/models?q=${"x".repeat(300)}`);
  expect(tooLong!.status()).toBe(400);
  await expect(page.getByTestId("error-page")).toContainText("at most 100 characters");
});
