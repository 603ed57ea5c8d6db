import { expect, test } from "./fixtures";

test.use({ javaScriptEnabled: false, signedInAs: "user" });

test("the list, its search form and a model page work without JavaScript", async ({
  page,
  models,
}) => {
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

  // "Download all" without JavaScript: the same single ZIP download as with it.
  const [bundle] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("download-all").click(),
  ]);
  expect(bundle.suggestedFilename()).toMatch(/\.zip$/);
  expect(await bundle.failure()).toBeNull();
  await expect(page.getByTestId("sha256sums-link")).toHaveAttribute(
    "href",
    /^\/models\/[0-9a-f-]{36}\/SHA256SUMS$/,
  );
});
