import { expect, test } from "./fixtures";

test.use({ signedInAs: "user" });

test("a 'model ready' notification links to its model and can be marked as read, keeping focus", async ({
  page,
  models,
}) => {
  const { artifact } = await models.stored();
  await models.stored();
  await page.goto("/notifications");
  await expect(page.getByTestId("unread-count")).toContainText("2");

  const mine = page.getByTestId("notification").filter({ hasText: artifact.name });
  const href = await mine.getByRole("link", { name: /View model/ }).getAttribute("href");
  expect(href).toBe(`/models/${artifact.id}`);

  const markRead = mine.getByRole("button", { name: /^Mark as read/ });
  await markRead.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("unread-count")).toContainText("1");
  await expect(mine.getByRole("button", { name: /^Mark as read/ })).toHaveCount(0);
  // The pressed button is gone; focus went to the page's content, not to nowhere.
  await expect(page.locator("#main")).toBeFocused();

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByText("You are all caught up.")).toBeVisible();
  await expect(page.getByTestId("unread-count")).toHaveCount(0);
  await expect(page.locator("#main")).toBeFocused();

  await page.goto(href!);
  await expect(page.getByRole("heading", { level: 1, name: artifact.name })).toBeVisible();
});

test("a notification of a deleted model says so instead of linking to a 404", async ({
  page,
  models,
}) => {
  const { artifact } = await models.stored();
  await models.softDelete(artifact.id);
  await page.goto("/notifications");
  const notice = page.getByTestId("notification").filter({ hasText: artifact.name });
  await expect(notice.getByTestId("model-deleted")).toHaveText(
    "This model was deleted; its files are gone.",
  );
  await expect(notice.getByRole("link")).toHaveCount(0);
});

test("at 390 px a notification's title, message and buttons do not overlap", async ({
  page,
  models,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await models.stored({ datasetName: "Customer support conversations (multilingual)" });
  await page.goto("/notifications");
  const notice = page.getByTestId("notification").first();
  const title = await notice.getByRole("heading").boundingBox();
  const message = await notice.locator("p").first().boundingBox();
  const buttons = notice.getByRole("button", { name: /^Mark as read/ });
  const button = await buttons.boundingBox();
  const link = await notice.getByRole("link", { name: /View model/ }).boundingBox();
  const overlaps = (
    a: { x: number; y: number; width: number; height: number },
    b: { x: number; y: number; width: number; height: number },
  ) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const control of [button!, link!]) {
    expect(overlaps(control, title!)).toBe(false);
    expect(overlaps(control, message!)).toBe(false);
  }
  // The message uses the card's width, not one word a line.
  expect(message!.width).toBeGreaterThan(250);
});

test("deleting a model asks for confirmation, then it is gone for good", async ({
  page,
  models,
}) => {
  const { artifact } = await models.stored();
  await page.goto(`/models/${artifact.id}?back=${encodeURIComponent("/models?sort=quality")}`);
  await page.getByText("Delete this model…").click();
  const confirm = page.getByRole("button", { name: "Delete permanently" });
  await confirm.click();
  // The browser refuses the form until the box is ticked (and the server would too).
  await expect(page).toHaveURL(new RegExp(`/models/${artifact.id}`));
  await page.getByLabel(/Yes, delete/).check();
  await confirm.click();
  await expect(page).toHaveURL(/\/models\?sort=quality$/);
  await expect(page.getByTestId("flash")).toContainText(`Deleted “${artifact.name}”`);
  await page.reload();
  await expect(page.getByTestId("flash")).toHaveCount(0);
  const response = await page.goto(`/models/${artifact.id}`);
  expect(response!.status()).toBe(404);
});
