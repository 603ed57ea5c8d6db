/**
 * What an attacker tries against the real server.js (issue 11, items 10–14): raw HTTP on
 * loopback, so headers like Host and Accept-Encoding are exactly as sent.
 */
import { request as httpRequest } from "node:http";

import { expect, logIn, sessionCookieFor, test } from "./fixtures";

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  base: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "GET",
        path: options.path,
        headers: {
          ...(options.body === undefined
            ? {}
            : { "content-length": Buffer.byteLength(options.body) }),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("latin1"),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      // The server may hang up on the rest of a refused body; the answer was read by then.
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    if (options.body !== undefined) outgoing.write(options.body);
    outgoing.end();
  });
}

async function cookieHeader(userId: string, email: string) {
  const cookie = await sessionCookieFor(userId, email);
  return `${cookie.name}=${cookie.value}`;
}

test("request bodies over 1 MiB get 413 for tRPC, form actions and the login form", async ({
  stack,
  user,
  models,
}) => {
  const { artifact } = await models.stored();
  const cookie = await cookieHeader(user.id, user.email);
  const origin = stack.baseUrl;
  const big = "x".repeat(2 * 1024 * 1024);
  for (const path of [
    "/api/trpc/models.delete",
    `/models/${artifact.id}`,
    "/login",
    "/notifications",
  ]) {
    const answer = await send(stack.baseUrl, {
      method: "POST",
      path,
      headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
      body: big,
    });
    expect(answer.status, path).toBe(413);
  }
  // A normal form still works (it is the limit, not the method, that refuses).
  const small = await send(stack.baseUrl, {
    method: "POST",
    path: "/notifications",
    headers: { cookie, origin, "content-type": "application/x-www-form-urlencoded" },
    body: "intent=mark-all-read",
  });
  expect(small.status).toBeLessThan(400);
});

test("a cross-site form post gets a 403 that says why; behind a Host-rewriting proxy the public origin is fine", async ({
  stack,
  user,
}) => {
  const cookie = await cookieHeader(user.id, user.email);
  const crossSite = await send(stack.baseUrl, {
    method: "POST",
    path: "/notifications",
    headers: {
      cookie,
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "intent=mark-all-read",
  });
  expect(crossSite.status).toBe(403);
  expect(crossSite.body).toContain("This form was sent from another site and was refused.");

  // The proxy forwards PUBLIC_BASE_URL's requests with its own Host and no X-Forwarded-Host.
  const proxied = await send(stack.baseUrl, {
    method: "POST",
    path: "/notifications",
    headers: {
      cookie,
      host: "dashboard.internal:8080",
      origin: stack.baseUrl,
      "sec-fetch-site": "same-origin",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "intent=mark-all-read",
  });
  expect(proxied.status).toBe(200);
});

test("HTML is compressed with brotli or gzip when the client accepts it", async ({ stack }) => {
  for (const encoding of ["br", "gzip"]) {
    const answer = await send(stack.baseUrl, {
      path: "/login",
      headers: { "accept-encoding": encoding },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-encoding"]).toBe(encoding);
  }
  const plain = await send(stack.baseUrl, { path: "/login", headers: {} });
  expect(plain.headers["content-encoding"]).toBeUndefined();
  expect(plain.body).toContain("<!DOCTYPE html>");
});

test("a malformed address gets a short 400 without a stack trace", async ({ stack }) => {
  const answer = await send(stack.baseUrl, { path: "/%E0" });
  expect(answer.status).toBe(400);
  expect(answer.body).toBe("This address is not valid. Check the link and try again.");
  expect(answer.body).not.toMatch(/at |node_modules|\/tmp\/|URIError/);
});

test("an unknown page has the layout, a plain message and a way back", async ({
  page,
  context,
  user,
}) => {
  await logIn(context, user);
  const response = await page.goto("/training/new");
  expect(response!.status()).toBe(404);
  await expect(page).toHaveTitle(/Page not found/);
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("contentinfo")).toBeVisible();
  const error = page.getByTestId("error-page");
  await expect(error).toContainText("We couldn't find that page.");
  await expect(error).not.toContainText("No route matches");
  await error.getByRole("link", { name: "Back to your models" }).click();
  await expect(page.getByRole("heading", { name: "Your models" })).toBeVisible();
});
