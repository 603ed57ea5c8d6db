import { ADA, expect, stackInfo, test } from "./fixtures";

const stackUrl = () => stackInfo().baseUrl;

test("a visitor logs in through the development login and lands where they were going", async ({
  page,
}) => {
  await page.goto("/models?sort=quality");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fmodels%3Fsort%3Dquality$/);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page).toHaveTitle("Sign in · Model Artifacts & Delivery");

  await page.getByRole("button", { name: new RegExp(ADA.name) }).click();
  await expect(page).toHaveURL(/\/models\?sort=quality$/);
  await expect(page.getByRole("heading", { name: "Your models" })).toBeVisible();
  await expect(page.getByText(ADA.email)).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/notifications");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fnotifications$/);
});

test("pages carry security headers and a nonce-based CSP that the page obeys", async ({
  page,
  context,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") violations.push(message.text());
  });
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const csp = headers["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("unsafe-inline");
  // Hydration worked under the policy: a client-side navigation happens without a reload.
  await context.clearCookies();
  await page.getByRole("button", { name: new RegExp(ADA.name) }).click();
  await expect(page.getByRole("heading", { name: "Your models" })).toBeVisible();
  expect(violations.filter((v) => /Content Security Policy/i.test(v))).toEqual([]);
});

test("a redirectTo that normalises to another host lands on the dashboard instead", async ({
  page,
}) => {
  await page.goto("/login?redirectTo=%2F..%2F%2Fevil.example");
  // It once became `//evil.example` here, and the login's redirect went there.
  await expect(page.locator('input[name="redirectTo"]').first()).toHaveValue("/models");
  await page.getByRole("button", { name: new RegExp(ADA.name) }).click();
  await expect(page.getByRole("heading", { name: "Your models" })).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(stackUrl()).host);
});
