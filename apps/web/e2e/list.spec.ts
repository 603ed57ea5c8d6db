import { expect, test, waitForHydration } from "./fixtures";

test.use({ signedInAs: "user" });

test("'Most recent' is by training date, as the cards show; sort, pages and back keep their place", async ({
  page,
  db,
  models,
}) => {
  const made = await models.many(14, 20);
  // Ingested in the opposite order of their training (a backlog): created_at says nothing.
  for (const [index, { artifact }] of made.entries()) {
    await db.sql`update model_artifacts set created_at = now() - make_interval(secs => ${made.length - index})
      where id = ${artifact.id}`;
  }
  const byTraining = [...made].sort(
    (a, b) => b.job.completedAt!.getTime() - a.job.completedAt!.getTime(),
  );
  await page.goto("/models");
  await expect(page.getByText("14 models", { exact: true })).toBeVisible();
  const cards = page.getByTestId("model-card");
  await expect(cards).toHaveCount(12);
  await expect(cards.first().getByRole("heading")).toHaveText(byTraining[0]!.artifact.name);
  const trained: (string | null)[] = [];
  for (const time of await cards.getByTestId("trained-at").all())
    trained.push(await time.getAttribute("datetime"));
  expect(trained).toEqual(byTraining.slice(0, 12).map((m) => m.job.completedAt!.toISOString()));

  // Highest quality first: the first card has the best score.
  const best = Math.max(...made.map((m) => m.artifact.qualityScore ?? 0));
  await page.getByLabel("Sort by").selectOption("quality");
  await expect(page).toHaveURL(/sort=quality/);
  await expect(cards.first().getByRole("img", { name: `${best} out of 5 stars` })).toBeVisible();

  await page
    .getByRole("navigation", { name: "Pagination" })
    .getByRole("link", { name: "Next →" })
    .click();
  await expect(page).toHaveURL(/sort=quality&page=2|page=2&sort=quality/);
  await expect(page.getByText("Page 2 of 2")).toBeVisible();
  const name = await cards.first().getByRole("heading").innerText();
  await cards.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await page.getByTestId("back-link").click();
  await expect(page).toHaveURL(/\/models\?sort=quality&page=2$/);
  await expect(page.getByLabel("Sort by")).toHaveValue("quality");
});

test("the sort menu does not load a new list on every arrow key; Enter applies it", async ({
  page,
  models,
}) => {
  await models.many(2, 10);
  await page.goto("/models");
  // What is tested is the page's script: an arrow key pressed before hydration is undone by it.
  await waitForHydration(page);
  const sort = page.getByLabel("Sort by");
  await sort.focus();
  await page.keyboard.press("ArrowDown");
  await expect(sort).toHaveValue("quality");
  await page.waitForTimeout(500);
  expect(new URL(page.url()).search).toBe("");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=quality/);
  await expect(sort).toBeFocused();
});

test("search narrows the list and says when nothing matches", async ({ page, models }) => {
  await models.stored({ datasetName: "Legal clauses" });
  await models.stored({ datasetName: "Product FAQ" });
  await page.goto("/models");
  await page.getByRole("searchbox", { name: "Search" }).fill("legal");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=legal/);
  const cards = page.getByTestId("model-card");
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText("Legal clauses");

  await page.getByRole("searchbox", { name: "Search" }).fill("zz-no-such-model-zz");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("no-results")).toContainText(
    "No models match “zz-no-such-model-zz”",
  );
});

test("a new user sees the empty state without a link to a page that does not exist", async ({
  page,
}) => {
  await page.goto("/models");
  await expect(page.getByTestId("empty-state")).toBeVisible();
  // The stack sets no PLATFORM_URL: no "Start a training job" that leads to a 404.
  await expect(page.getByRole("link", { name: "Start a training job" })).toHaveCount(0);
});

test("bad query parameters give a normal page or a helpful 400, never a 500", async ({ page }) => {
  const normal = await page.goto("/models?page=abc&sort=evil&limit=10000");
  expect(normal!.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Your models" })).toBeVisible();
  const tooLong = await page.goto(`/models?q=${"x".repeat(300)}`);
  expect(tooLong!.status()).toBe(400);
  await expect(page.getByTestId("error-page")).toContainText("at most 100 characters");
});
