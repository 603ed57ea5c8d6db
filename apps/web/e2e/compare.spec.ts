/**
 * Comparing models in the browser: three are ticked on the list and compared — their curves on
 * one chart (by step, then by epoch), their metrics side by side and the configuration diff —
 * at 1280 and 390 px, axe-clean and no wider than the screen; a selection out of range is
 * explained on the list; without JavaScript the same GET form makes the same comparison.
 */

import {
  atEachWidth,
  expect,
  expectAxeClean,
  expectNoSidewaysScroll,
  logIn,
  test,
  waitForHydration,
} from "./fixtures";

// The no-JavaScript test below logs in on a context of its own.
test.use({ signedInAs: "user" });

atEachWidth((width) => {
  test("three models ticked on the list are compared on one page", async ({ page, models }) => {
    const made = await models.many(3);
    const names = made.map((model) => model.artifact.name);

    await page.goto("/models");
    await waitForHydration(page);
    const hint = page.getByTestId("compare-hint");
    await expect(hint).toHaveText("Tick 2 to 4 models to compare them.");
    // One box is not enough: the list says so and stays where it is.
    await page.getByRole("checkbox", { name: `Compare ${names[0]}` }).check();
    await page.getByRole("button", { name: "Compare selected" }).click();
    await expect(hint).toHaveText("1 selected: tick at least one more to compare.");
    await expect(page).toHaveURL(/\/models$/);

    // The keyboard ticks the others.
    for (const name of names.slice(1)) {
      await page.getByRole("checkbox", { name: `Compare ${name}` }).focus();
      await page.keyboard.press("Space");
    }
    await expect(hint).toHaveText("3 selected.");
    await page.getByRole("button", { name: "Compare selected" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare 3 models");
    const ids = new URL(page.url()).searchParams.getAll("ids");
    expect(ids).toEqual(made.map((model) => model.artifact.id));

    const legend = page.getByRole("list", { name: "Legend" });
    for (const name of names) await expect(legend).toContainText(name);
    const chart = page.locator(`svg[data-variant="${width >= 640 ? "wide" : "narrow"}"]`);
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute("data-models", "3");
    await expect(chart.locator("[data-model-series]")).toHaveCount(3);
    const box = await chart.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= width).toBe(true);

    const metrics = page.getByRole("table", { name: /Metrics of the compared models/ });
    for (const name of names)
      await expect(metrics.getByRole("columnheader", { name })).toBeVisible();
    const configuration = page.getByRole("table", { name: /Configuration of the compared/ });
    // The factories train on different base models: at least that row differs, and says so.
    await expect(configuration.locator('tr[data-differs="true"]').first()).toContainText("Differs");

    await page.getByRole("link", { name: "By epoch" }).click();
    await expect(page).toHaveURL(/align=epoch/);
    await expect(page.getByRole("link", { name: "By epoch" })).toHaveAttribute(
      "aria-current",
      "true",
    );
    await expect(chart).toHaveAttribute("data-align", "epoch");

    await expectNoSidewaysScroll(page);
    await expectAxeClean(page);

    await page.goto("/models");
    await expectAxeClean(page, "main");
  });
});

test("without JavaScript the list's form makes the comparison, and too few is a 400 that says why", async ({
  browser,
  user,
  models,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await logIn(context, user);
  const page = await context.newPage();
  const made = await models.many(2);

  await page.goto("/models");
  await page.getByRole("checkbox", { name: `Compare ${made[0]!.artifact.name}` }).check();
  await page.getByRole("button", { name: "Compare selected" }).click();
  await expect(page.getByText("Choose at least 2 models to compare (you chose 1).")).toBeVisible();

  await page.goto("/models");
  for (const model of made)
    await page.getByRole("checkbox", { name: `Compare ${model.artifact.name}` }).check();
  await page.getByRole("button", { name: "Compare selected" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare 2 models");
  await expect(page.getByRole("table", { name: /Metrics of the compared models/ })).toBeVisible();
  await context.close();
});
