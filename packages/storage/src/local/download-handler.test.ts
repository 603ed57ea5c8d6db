import { mkdir, mkdtemp, open, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachmentDisposition } from "../content-disposition";
import { signDownloadToken } from "../signed-token";
import { createLocalDownloadHandler, parseRange } from "./download-handler";

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

describe("local download handler", () => {
  it("serves by extension, without Content-Disposition unless download is given", async () => {
    const response = await handler(
      await signedRequest("lora-models/u/a/config.json", "lora-models/u/a/config.json"),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"r":8}');
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/json",
      "content-length": "7",
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "accept-ranges": "bytes",
    });
    expect(response.headers.get("content-disposition")).toBeNull();

    const named = await handler(
      await signedRequest(
        "lora-models/u/a/weights.bin",
        "lora-models/u/a/weights.bin",
        "&download=",
      ),
    );
    expect(named.headers.get("content-disposition")).toBe('attachment; filename="weights.bin"');
    expect(named.headers.get("content-type")).toBe("application/octet-stream");
    await named.body?.cancel();
  });

  it("answers HEAD and ranged HEAD without a body", async () => {
    const head = await handler(
      await signedRequest("lora-models/u/a/weights.bin", "lora-models/u/a/weights.bin", "", {
        method: "HEAD",
      }),
    );
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.body).toBeNull();
    const ranged = await handler(
      await signedRequest("lora-models/u/a/weights.bin", "lora-models/u/a/weights.bin", "", {
        method: "HEAD",
        headers: { Range: "bytes=2-4" },
      }),
    );
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
    const response = await handler(
      await signedRequest("lora-models/u/a/huge.bin", "lora-models/u/a/huge.bin", "", {
        headers: { Range: `bytes=${start}-${start + 9}` },
      }),
    );
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(
      `bytes ${start}-${start + 9}/${5 * 2 ** 30}`,
    );
    expect(await response.text()).toBe("deep bytes");
    await rm(file);
  });

  it("refuses other methods", async () => {
    const response = await handler(
      await signedRequest("lora-models/u/a/weights.bin", "lora-models/u/a/weights.bin", "", {
        method: "POST",
      }),
    );
    expect(response.status).toBe(405);
  });

  it("never serves outside the storage folder, even for a validly signed traversal", async () => {
    const traversal = await handler(
      await signedRequest("lora-models/../../outside.txt", "lora-models/..%2F..%2Foutside.txt"),
    );
    expect(traversal.status).toBe(400);
    const body = await traversal.text();
    expect(body).not.toContain("must never be served");
    expect(JSON.parse(body)).toMatchObject({ statusCode: "400", error: "InvalidSignature" });

    const link = await handler(
      await signedRequest("lora-models/u/a/link.bin", "lora-models/u/a/link.bin"),
    );
    expect(JSON.parse(await link.text())).toMatchObject({ statusCode: "404", error: "not_found" });
  });

  it("keeps filesystem paths and secrets out of error bodies", async () => {
    const missing = await handler(
      await signedRequest("lora-models/u/a/nope.bin", "lora-models/u/a/nope.bin"),
    );
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
      error: "InvalidJWT",
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
      error: "InvalidJWT",
      message: "jwt expired",
    });
  });
});

describe("parseRange", () => {
  it.each([
    ["bytes=0-0", 10, { start: 0, end: 0 }],
    ["bytes=5-", 10, { start: 5, end: 9 }],
    ["bytes=5-100", 10, { start: 5, end: 9 }],
    ["bytes=-3", 10, { start: 7, end: 9 }],
    ["bytes=-30", 10, { start: 0, end: 9 }],
    ["bytes=10-", 10, "unsatisfiable"],
    ["bytes=-0", 10, "unsatisfiable"],
    ["bytes=0-", 0, "unsatisfiable"],
    ["bytes=0-1,3-4", 10, null],
    ["bytes=4-2", 10, null],
    ["items=0-1", 10, null],
    ["bytes=-", 10, null],
    [null, 10, null],
    ["bytes=5000000000-5000000009", 6_000_000_000, { start: 5_000_000_000, end: 5_000_000_009 }],
  ] as const)("%s of %d bytes", (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe("attachmentDisposition", () => {
  it.each([
    ["model.safetensors", 'attachment; filename="model.safetensors"'],
    ['a"b.bin', `attachment; filename="a_b.bin"; filename*=UTF-8''a%22b.bin`],
    ["line\r\nbreak.bin", 'attachment; filename="linebreak.bin"'],
    ["dir/name.bin", 'attachment; filename="dir_name.bin"'],
    ["ü.bin", `attachment; filename="_.bin"; filename*=UTF-8''%C3%BC.bin`],
    ["", 'attachment; filename="download"'],
  ])("%j", (name, expected) => {
    expect(attachmentDisposition(name)).toBe(expected);
  });
});
