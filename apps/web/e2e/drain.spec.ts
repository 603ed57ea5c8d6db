/**
 * Rolling restarts (docs/deploy.md): a second server.js on the same stack, in production mode,
 * gets SIGTERM while a slow client is half-way through a 32 MiB download. It stops taking new
 * connections at once, lets the download finish byte for byte, then exits 0 without waiting for
 * idle keep-alive connections.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

import { expect, test } from "./fixtures";
import { startServerProcess } from "./support/server-process";

const SIZE = 32 * 1024 * 1024;

test("SIGTERM lets a download in flight finish, refuses new connections, exits 0", async ({
  stack,
  storage,
}) => {
  test.setTimeout(90_000);
  const objectPath = `${randomUUID()}/${randomUUID()}/big.bin`;
  await storage.put(objectPath, Readable.from([Buffer.alloc(SIZE, 7)]), {
    contentType: "application/octet-stream",
  });
  const server = await startServerProcess(stack, { WEB_SHUTDOWN_GRACE_SECONDS: "30" });
  const { origin, exited } = server;
  try {
    await expect
      .poll(async () => (await fetch(`${origin}/healthz`).catch(() => null))?.status, {
        timeout: 20_000,
      })
      .toBe(200);
    // Signed for this server's origin (PUBLIC_BASE_URL), by the same secret.
    const signed = new URL(
      await storage.createSignedUrl({ path: objectPath, downloadName: "big.bin" }, 600),
    );
    const url = `${origin}${signed.pathname}${signed.search}`;

    // A slow client: reads a little, then stops reading while the server is told to stop.
    let received = 0;
    const done = new Promise<number>((resolve, reject) => {
      http
        .get(url, (response) => {
          expect(response.statusCode).toBe(200);
          response.on("data", (chunk: Buffer) => {
            received += chunk.length;
            if (received > 1024 * 1024 && !response.isPaused() && !paused) {
              paused = true;
              response.pause();
              setTimeout(() => response.resume(), 1_500);
            }
          });
          response.on("end", () => resolve(received));
          response.on("error", reject);
        })
        .on("error", reject);
    });
    let paused = false;
    await expect.poll(() => paused, { timeout: 10_000 }).toBe(true);
    server.child.kill("SIGTERM");
    await sleep(300);
    // No new connection while draining.
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
    expect(await done).toBe(SIZE);
    // Promptly: a keep-alive connection left idle by the finished download does not hold the
    // process for the keep-alive timeout (65 s).
    const finished = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - finished).toBeLessThan(5_000);
  } finally {
    server.kill();
    await storage.remove([objectPath]);
  }
});
