import { expect, logIn, test } from "./fixtures";

test.use({ javaScriptEnabled: false });

test("the list, its search form and a model page work without JavaScript", async ({
  page,
  context,
  user,
  models,
}) => {
  await logIn(context, user);
  await models.many(2, 30);
  await page.goto("/models");
  await expect(page.getByTestId("model-card").first()).toBeVisible();
  await page.getByLabel("Sort by").selectOption("quality");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/sort=quality/);

  await page.getByTestId("model-card").first().getByRole("link").click();
  await expect(page.getByRole("img", { name: /Loss by training step/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Files" })).toBeVisible();
  await page.getByText("Show the values as a table").click();
  await expect(page.getByRole("table")).toBeVisible();

  // One file: a document post answered by a redirect to the signed URL, which is saved.
  const [single] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("download-file").first().click(),
  ]);
  expect(single.suggestedFilename()).toMatch(/\.(json|safetensors)$/);

  // "Download all" without JavaScript: the form post answers with the page and every link.
  await page.getByTestId("download-all").click();
  const panel = page.getByTestId("download-links");
  await expect(panel).toContainText(
    /Your download links are ready\. Links valid for 1 hour, expire at \d\d:\d\d UTC/,
  );
  const rows = await page.getByTestId("file-row").count();
  await expect(panel.getByRole("link")).toHaveCount(rows);
  for (const link of await panel.getByRole("link").all()) {
    expect(await link.getAttribute("href")).toMatch(
      /\/storage\/v1\/object\/sign\/lora-models\/.+\?token=/,
    );
  }
});
