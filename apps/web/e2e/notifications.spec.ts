import { expect, GRACE, logIn, test } from "./fixtures";

test.beforeEach(async ({ context }) => {
  await logIn(context, GRACE);
});

test("a 'model ready' notification links to its model and can be marked as read", async ({
  page,
  db,
}) => {
  const [row] = await db.sql<{ unread: number }[]>`
    select count(*)::int as unread from notifications where user_id = ${GRACE.id} and read_at is null`;
  expect(row!.unread, "the seed leaves Grace unread notifications").toBeGreaterThan(0);
  await page.goto("/notifications");
  await expect(page.getByTestId("unread-count")).toContainText(String(row!.unread));

  const first = page
    .getByTestId("notification")
    .filter({ hasText: "Model Ready for Download" })
    .first();
  const href = await first.getByRole("link", { name: "View model" }).getAttribute("href");
  expect(href).toMatch(/^\/models\/[0-9a-f-]{36}$/);

  await first.getByRole("button", { name: /Mark .* as read/ }).click();
  if (row!.unread > 1)
    await expect(page.getByTestId("unread-count")).toContainText(String(row!.unread - 1));
  else await expect(page.getByTestId("unread-count")).toHaveCount(0);

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByText("You are all caught up.")).toBeVisible();
  await expect(page.getByTestId("unread-count")).toHaveCount(0);

  await page.goto(href!);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("deleting a model asks for confirmation, then it is gone for good", async ({ page, db }) => {
  const [model] = await db.sql<{ id: string; name: string }[]>`
    select id, name from model_artifacts where user_id = ${GRACE.id} and deleted_at is null
    order by created_at asc limit 1`;
  expect(model, "the seed gives Grace models").toBeDefined();
  await page.goto(`/models/${model!.id}?back=${encodeURIComponent("/models?sort=quality")}`);
  await page.getByText("Delete this model…").click();
  const confirm = page.getByRole("button", { name: "Delete permanently" });
  await confirm.click();
  // The browser refuses the form until the box is ticked (and the server would too).
  await expect(page).toHaveURL(new RegExp(`/models/${model!.id}`));
  await page.getByLabel(/Yes, delete/).check();
  await confirm.click();
  await expect(page).toHaveURL(/\/models\?sort=quality$/);
  await expect(page.getByTestId("flash")).toContainText(`Deleted “${model!.name}”`);
  await page.reload();
  await expect(page.getByTestId("flash")).toHaveCount(0);
  const response = await page.goto(`/models/${model!.id}`);
  expect(response!.status()).toBe(404);
});
