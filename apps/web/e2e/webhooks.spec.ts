/**
 * Settings → Webhooks in the browser: add an endpoint (its secret shown once), a stored model's
 * delivery listed under it, a refused URL explained, delete with confirmation; at 1280 and 390
 * px nothing overflows and axe finds nothing.
 */

import { atEachWidth, expect, expectAxeClean, expectNoSidewaysScroll, test } from "./fixtures";

test.use({ signedInAs: "user" });

atEachWidth(() => {
  test("a user adds a webhook endpoint, sees its delivery, and deletes it", async ({
    page,
    models,
  }) => {
    await page.goto("/models");
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Webhooks" })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

    // A loopback receiver is refused by the deployment's default policy, with the reason.
    await page.getByLabel("URL").fill("https://127.0.0.1/hooks");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("alert")).toContainText("private or loopback");

    const url = "https://deploy.example.com/hooks/models";
    await page.getByLabel("URL").fill(url);
    await page.getByLabel("Description (optional)").fill("deploy bot");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = page.getByTestId("secret");
    await expect(secret).toHaveText(/^whsec_/);
    const shown = await secret.textContent();
    const endpoint = page.getByRole("article", { name: url });
    await expect(endpoint).toContainText("deploy bot");

    // The secret is shown once: a reload does not show it again.
    const { artifact } = await models.stored();
    await page.reload();
    await expect(page.getByTestId("secret")).toHaveCount(0);
    expect(await page.content()).not.toContain(shown!);
    await endpoint.getByText(/Recent deliveries \(1\)/).click();
    await expect(endpoint.getByRole("link", { name: "model" })).toHaveAttribute(
      "href",
      `/models/${artifact.id}`,
    );
    await expect(endpoint).toContainText("model.ready");

    await expectNoSidewaysScroll(page);
    await expectAxeClean(page);

    await endpoint.getByLabel("Yes, delete this endpoint").check();
    await endpoint.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page.getByRole("status")).toContainText("Endpoint deleted");
    await expect(page.getByRole("article", { name: url })).toHaveCount(0);
    await expect(page.getByText("No endpoints yet.")).toBeVisible();
  });
});
