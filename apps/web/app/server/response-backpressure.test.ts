/**
 * Remix's express adapter writes response bodies with @remix-run/node's
 * writeReadableStreamToWritable, which as published never waits for a slow client: a 1 GiB
 * bundle or file download would be read from storage at disk speed and held in memory until the
 * socket took it. patches/@remix-run__node@2.17.5.patch makes it wait for `drain` and cancel
 * the body when the client goes away; these tests fail without it.
 */
import { Writable } from "node:stream";

import { writeReadableStreamToWritable } from "@remix-run/node";
import { describe, expect, it } from "vitest";

const MiB = 1024 * 1024;

function generatedBody(totalMiB: number, counter: { produced: number; cancelled: boolean }) {
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.produced >= totalMiB * MiB) {
          controller.close();
          return;
        }
        counter.produced += MiB;
        controller.enqueue(new Uint8Array(MiB));
      },
      cancel() {
        counter.cancelled = true;
      },
    },
    { highWaterMark: 1 },
  );
}

describe("response bodies written to a slow client", () => {
  it("are read only as fast as the client takes them", async () => {
    const counter = { produced: 0, cancelled: false };
    let written = 0;
    let maxAhead = 0;
    const slowClient = new Writable({
      highWaterMark: MiB,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        maxAhead = Math.max(maxAhead, counter.produced - written);
        setTimeout(callback, 2);
      },
    });
    await writeReadableStreamToWritable(generatedBody(64, counter), slowClient);
    await new Promise((resolve) => slowClient.once("finish", resolve));
    expect(written).toBe(64 * MiB);
    // Unpatched, the whole 64 MiB is read ahead of the client.
    expect(maxAhead).toBeLessThanOrEqual(4 * MiB);
  });

  it("stop reading the body when the client goes away", async () => {
    const counter = { produced: 0, cancelled: false };
    let written = 0;
    const leavingClient = new Writable({
      highWaterMark: MiB,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (written >= 3 * MiB) {
          leavingClient.destroy();
          return;
        }
        setTimeout(callback, 2);
      },
    });
    await writeReadableStreamToWritable(generatedBody(512, counter), leavingClient).catch(
      () => undefined,
    );
    expect(counter.cancelled).toBe(true);
    expect(counter.produced).toBeLessThan(16 * MiB);
  });
});
