import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { get, loaderArgs, outcome } from "../testing/harness";
import { useSeededHarness } from "../testing/seed";
import * as bundle from "./bundles.$modelId.$fileName";
import * as downloadAll from "./models.$modelId.download-all";
import * as sums from "./models.$modelId.SHA256SUMS";

const run = promisify(execFile);
const seeded = useSeededHarness();

const asAda = (path: string, modelId: string, loader: typeof sums.loader) =>
  outcome(() => loader(loaderArgs(get(path, seeded.adaCookie), { modelId })));

/** Follows the redirect to the signed bundle URL the way a browser would (no cookie). */
async function fetchBundle(location: string, init?: RequestInit) {
  const url = new URL(location);
  const [, , modelId = "", fileName = ""] = url.pathname.split("/");
  return bundle.loader(loaderArgs(new Request(url, init), { modelId, fileName }));
}

describe("Download all (one ZIP)", () => {
  it("redirects the owner to a signed ZIP that unzip -t and sha256sum -c accept", async () => {
    const id = seeded.adaModels[0]!;
    const answer = await asAda(`/models/${id}/download-all`, id, downloadAll.loader);
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(new RegExp(`/bundles/${id}/.+\\.zip\\?token=`));
    const response = await fetchBundle(answer.location!);
    expect(response.status).toBe(200);
    const zip = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get("content-length")).toBe(String(zip.length));

    const dir = await mkdtemp(join(tmpdir(), "web-bundle-"));
    try {
      await writeFile(join(dir, "m.zip"), zip);
      expect((await run("unzip", ["-t", join(dir, "m.zip")])).stdout).toContain(
        "No errors detected",
      );
      await run("unzip", ["-q", join(dir, "m.zip"), "-d", join(dir, "out")]);
      const checked = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: join(dir, "out") });
      expect(checked.stdout).toContain("adapter_model.safetensors: OK");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const tail = await fetchBundle(answer.location!, {
      headers: { Range: "bytes=100-", "If-Range": response.headers.get("etag")! },
    });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(zip.subarray(100))).toBe(true);
  });

  it("treats another user's model like a missing one and sends anonymous users to log in", async () => {
    const grace = seeded.graceModel;
    const answer = await asAda(`/models/${grace}/download-all`, grace, downloadAll.loader);
    expect(answer.status).toBe(404);
    const anonymous = await outcome(() =>
      downloadAll.loader(loaderArgs(get(`/models/${grace}/download-all`), { modelId: grace })),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
  });
});

describe("SHA256SUMS", () => {
  it("serves the owner's checksums as sha256sum -c reads them, and 404 for another's", async () => {
    const id = seeded.adaModels[1]!;
    const answer = await asAda(`/models/${id}/SHA256SUMS`, id, sums.loader);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(String(answer.data)).toMatch(/^[0-9a-f]{64} {2}adapter_model\.safetensors$/m);
    const grace = seeded.graceModel;
    expect((await asAda(`/models/${grace}/SHA256SUMS`, grace, sums.loader)).status).toBe(404);
  });
});
