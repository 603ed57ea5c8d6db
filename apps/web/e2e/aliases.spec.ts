/**
 * Model lines in the browser: versions of one dataset's models, an alias moved from v1 to v2
 * with the keyboard, its history, the refusal of a bad name, at 1280 and 390 px, axe-clean.
 */

import { atEachWidth, expect, expectAxeClean, expectNoSidewaysScroll, test } from "./fixtures";

test.use({ signedInAs: "user" });

atEachWidth(() => {
  test("an alias moves from v1 to v2 and the history says so", async ({ page, models }) => {
    const first = await models.stored({
      datasetName: "Support tickets",
      completedAt: new Date("2026-11-01T10:00:00Z"),
    });
    const second = await models.stored({
      datasetId: first.datasetId,
      completedAt: new Date("2026-11-08T10:00:00Z"),
    });

    await page.goto(`/models/${first.artifact.id}`);
    const section = page.getByRole("region", { name: "Versions and aliases" });
    await expect(section).toContainText("v1 of 2 models trained on “Support tickets”");
    const field = section.getByRole("combobox", { name: "Point an alias at this model" });
    await field.fill("Production");
    await field.press("Enter");
    await expect(page.getByText("“production” now points at this model.")).toBeVisible();
    await expect(section.getByRole("list", { name: "Aliases of this model" })).toContainText(
      "Remove “production”",
    );

    // A name a URL could not carry is refused with the rule, and nothing moves.
    await field.fill("9 lives");
    await section.getByRole("button", { name: "Set alias" }).click();
    // The browser's own pattern check stops it first; the server refuses it too (below).
    await expect(field).toHaveJSProperty("validity.patternMismatch", true);
    const refused = await page.request.post(`/models/${first.artifact.id}/aliases`, {
      form: { intent: "move", alias: "9 lives" },
      headers: { Origin: new URL(page.url()).origin },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(302);

    await page.goto(`/models/${second.artifact.id}`);
    await section
      .getByRole("combobox", { name: "Point an alias at this model" })
      .fill("production");
    await section.getByRole("button", { name: "Set alias" }).click();
    await expect(page.getByText("“production” now points at this model.")).toBeVisible();
    await section.getByText(/Alias history/).click();
    const history = section.getByRole("listitem").filter({ hasText: "v1 → v2" });
    await expect(history).toContainText("production");
    await expect(section.getByRole("listitem").filter({ hasText: "new → v1" })).toHaveCount(1);

    const versions = section.getByRole("list", { name: "Versions" });
    await expect(versions.getByRole("listitem").nth(1)).toContainText("production");
    await expect(versions.getByRole("link", { name: first.artifact.name })).toBeVisible();

    await expectNoSidewaysScroll(page);
    await expectAxeClean(page, `section[aria-labelledby="line-title"]`);
  });
});
