import { mkdir, mkdtemp, open, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { attachmentDisposition } from "../content-disposition";
import { signDownloadToken } from "../signed-token";
import { expectInvalidRange } from "../testing/range-refusal";
import { createLocalDownloadHandler } from "./download-handler";
import { ifRangeAllows, parseRange } from "./range";

const signingSecret = "0123456789abcdef0123456789abcdef";
let workDir: string;
let rootDir: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "download-handler-"));
  rootDir = join(workDir, "storage");
  await mkdir(join(rootDir, "lora-models", "u", "a"), { recursive: true });
  await writeFile(join(rootDir, "lora-models", "u", "a", "config.json"), '{"r":8}');
  await writeFile(join(rootDir, "lora-models", "u", "a", "weights.bin"), "0123456789");
  await writeFile(join(workDir, "outside.txt"), "must never be served");
  await symlink(join(workDir, "outside.txt"), join(rootDir, "lora-models", "u", "a", "link.bin"));
  handler = createLocalDownloadHandler({ rootDir, signingSecret });
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function signedRequest(
  bucketPath: string,
  urlPath: string,
  query = "",
  init?: RequestInit,
): Promise<Request> {
  const token = await signDownloadToken(signingSecret, bucketPath, 60, new Date());
  return new Request(
    `http://localhost:3000/storage/v1/object/sign/${urlPath}?token=${token}${query}`,
    init,
  );
}

/** The handler's answer to a request for `path`, signed for that same path. */
async function download(path: string, init?: RequestInit): Promise<Response> {
  return handler(await signedRequest(path, path, "", init));
}

describe("local download handler", () => {
  it("serves by extension with Supabase's headers, without Content-Disposition unless download is given", async () => {
    const response = await download("lora-models/u/a/config.json");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"r":8}');
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/json",
      "content-length": "7",
      "x-robots-tag": "none",
      "x-content-type-options": "nosniff",
      "accept-ranges": "bytes",
    });
    // Like the real server: no Cache-Control, but Expires, an ETag and Last-Modified.
    expect(response.headers.get("cache-control")).toBeNull();
    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(response.headers.get("last-modified") ?? "")).not.toBeNaN();
    expect(Date.parse(response.headers.get("expires") ?? "")).toBeGreaterThan(Date.now());
    expect(response.headers.get("content-disposition")).toBeNull();

    const named = await handler(
      await signedRequest(
        "lora-models/u/a/weights.bin",
        "lora-models/u/a/weights.bin",
        "&download=",
      ),
    );
    // `download=` with no name: Supabase sends `attachment;` and no file name.
    expect(named.headers.get("content-disposition")).toBe("attachment;");
    expect(named.headers.get("content-type")).toBe("application/octet-stream");
    await named.body?.cancel();
  });

  it("answers HEAD and ranged HEAD without a body", async () => {
    const head = await download("lora-models/u/a/weights.bin", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.body).toBeNull();
    const ranged = await download("lora-models/u/a/weights.bin", {
      method: "HEAD",
      headers: { Range: "bytes=2-4" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe("bytes 2-4/10");
    expect(ranged.headers.get("content-length")).toBe("3");
  });

  it("serves ranges past 4 GiB (sparse file)", async () => {
    const file = join(rootDir, "lora-models", "u", "a", "huge.bin");
    const handle = await open(file, "w");
    try {
      await handle.truncate(5 * 2 ** 30);
      await handle.write(Buffer.from("deep bytes"), 0, 10, 4.5 * 2 ** 30);
    } finally {
      await handle.close();
    }
    const start = 4.5 * 2 ** 30;
    const response = await download("lora-models/u/a/huge.bin", {
      headers: { Range: `bytes=${start}-${start + 9}` },
    });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(
      `bytes ${start}-${start + 9}/${5 * 2 ** 30}`,
    );
    expect(await response.text()).toBe("deep bytes");
    await rm(file);
  });

  it("refuses other methods", async () => {
    const response = await download("lora-models/u/a/weights.bin", { method: "POST" });
    expect(response.status).toBe(405);
  });

  it("never serves outside the storage folder, even for a validly signed traversal", async () => {
    const traversal = await handler(
      await signedRequest("lora-models/../../outside.txt", "lora-models/..%2F..%2Foutside.txt"),
    );
    expect(traversal.status).toBe(400);
    const body = await traversal.text();
    expect(body).not.toContain("must never be served");
    expect(JSON.parse(body)).toMatchObject({ statusCode: "400", code: "InvalidSignature" });

    const link = await download("lora-models/u/a/link.bin");
    expect(JSON.parse(await link.text())).toMatchObject({
      statusCode: "404",
      code: "NoSuchKey",
      error: "not_found",
    });
  });

  it("keeps filesystem paths and secrets out of error bodies", async () => {
    const missing = await download("lora-models/u/a/nope.bin");
    const text = await missing.text();
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toContain("application/json");
    expect(text).not.toContain(rootDir);
    expect(text).not.toContain(signingSecret);
    const noToken = await handler(
      new Request("http://localhost:3000/storage/v1/object/sign/lora-models/u/a/weights.bin"),
    );
    expect(JSON.parse(await noToken.text())).toMatchObject({
      statusCode: "400",
      code: "InvalidRequest",
      error: "Error",
      message: "querystring must have required property 'token'",
    });
  });

  it("checks expiry against the injected clock", async () => {
    const later = createLocalDownloadHandler({
      rootDir,
      signingSecret,
      now: () => new Date(Date.now() + 61_000),
    });
    const response = await later(
      await signedRequest("lora-models/u/a/weights.bin", "lora-models/u/a/weights.bin"),
    );
    expect(JSON.parse(await response.text())).toMatchObject({
      statusCode: "400",
      code: "InvalidJWT",
      message: '"exp" claim timestamp check failed',
    });
  });

  it("honours If-Range: the range for the current ETag or Last-Modified, the whole file otherwise", async () => {
    const path = "lora-models/u/a/weights.bin";
    const first = await download(path);
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    await first.body?.cancel();
    const withIfRange = async (ifRange: string) =>
      download(path, { headers: { Range: "bytes=4-", "If-Range": ifRange } });

    for (const validator of [etag, lastModified]) {
      const resumed = await withIfRange(validator);
      expect(resumed.status).toBe(206);
      expect(await resumed.text()).toBe("456789");
    }
    for (const stale of [
      '"0123456789abcdef0123456789abcdef"',
      `W/${etag}`,
      "Mon, 01 Jan 2001 00:00:00 GMT",
    ]) {
      const restarted = await withIfRange(stale);
      expect(restarted.status).toBe(200);
      expect(restarted.headers.get("content-range")).toBeNull();
      expect(await restarted.text()).toBe("0123456789");
    }
  });

  it("refuses a range past the end, reversed, malformed or multiple ranges with 416 InvalidRange", async () => {
    const path = "lora-models/u/a/weights.bin";
    for (const range of ["bytes=10-", "bytes=5-2", "bytes=0-1,3-4", "items=0-1", "bytes=-0"]) {
      await expectInvalidRange(await download(path, { headers: { Range: range } }));
    }
  });
});

describe("parseRange", () => {
  it.each([
    ["bytes=0-0", 10, { start: 0, end: 0 }],
    ["bytes=5-", 10, { start: 5, end: 9 }],
    ["bytes=5-100", 10, { start: 5, end: 9 }],
    ["bytes=-3", 10, { start: 7, end: 9 }],
    ["bytes=-30", 10, { start: 0, end: 9 }],
    ["bytes=10-", 10, "invalid"],
    ["bytes=-0", 10, "invalid"],
    ["bytes=0-", 0, "invalid"],
    ["bytes=0-1,3-4", 10, "invalid"],
    ["bytes=4-2", 10, "invalid"],
    ["items=0-1", 10, "invalid"],
    ["bytes=-", 10, "invalid"],
    [null, 10, null],
    ["bytes=5000000000-5000000009", 6_000_000_000, { start: 5_000_000_000, end: 5_000_000_009 }],
  ] as const)("%s of %d bytes", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe("ifRangeAllows", () => {
  const validators = { etag: '"abc"', lastModified: new Date("2026-12-02T10:00:00.700Z") };
  it.each([
    [null, true],
    ['"abc"', true],
    ['"abd"', false],
    ['W/"abc"', false],
    ["Wed, 02 Dec 2026 10:00:00 GMT", true],
    ["Wed, 02 Dec 2026 09:59:59 GMT", false],
    ["not a date", false],
  ] as const)("%s", (ifRange, expected) => {
    expect(ifRangeAllows(ifRange, validators)).toBe(expected);
  });
});

describe("attachmentDisposition", () => {
  it.each([
    [
      "model.safetensors",
      "attachment; filename=model.safetensors; filename*=UTF-8''model.safetensors",
    ],
    ['a"b.bin', "attachment; filename=a%22b.bin; filename*=UTF-8''a%22b.bin"],
    [
      "line\r\nbreak.bin",
      "attachment; filename=line%0D%0Abreak.bin; filename*=UTF-8''line%0D%0Abreak.bin",
    ],
    ["my model.bin", "attachment; filename=my%20model.bin; filename*=UTF-8''my%20model.bin"],
    ["ü;x=1.bin", "attachment; filename=%C3%BC%3Bx%3D1.bin; filename*=UTF-8''%C3%BC%3Bx%3D1.bin"],
    ["", "attachment;"],
  ])("%j", (name, expected) => {
    expect(attachmentDisposition(name)).toBe(expected);
  });
});
