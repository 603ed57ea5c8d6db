import net from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type MiddlewareServer, serveMiddleware } from "../testing/middleware-server";
import { bodyLimit } from "./body-limit.server";

const LIMIT = 1024 * 1024;
let server: MiddlewareServer;
let bodiesRead = 0;

beforeAll(async () => {
  server = await serveMiddleware(bodyLimit(LIMIT), (request, response) => {
    // Reads the whole body into memory, as Remix's formData() and tRPC's json() do.
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      bodiesRead++;
      response.setHeader("Content-Type", "application/json");
      response.end(JSON.stringify({ bytes: Buffer.concat(chunks).length }));
    })();
  });
});

afterAll(() => server.close());

/**
 * Declares `declaredBytes`, then keeps sending 64 KiB chunks until the server answers or hangs
 * up; resolves with the answer's status line and how much was sent by then.
 */
function sendHugeBody(path: string, declaredBytes: number) {
  return new Promise<{ statusLine: string; sentBytes: number }>((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1");
    let sentBytes = 0;
    let answer = "";
    let done = false;
    const chunk = Buffer.alloc(64 * 1024, 120);
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ statusLine: answer.split("\r\n")[0] ?? "", sentBytes });
    };
    const pump = () => {
      while (!done && sentBytes < declaredBytes) {
        sentBytes += chunk.length;
        if (!socket.write(chunk)) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      if (answer.includes("\r\n\r\n")) finish();
    });
    socket.on("close", finish);
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // The server hangs up on the rest of the body: that is the point.
      if (error.code === "EPIPE" || error.code === "ECONNRESET") finish();
      else reject(error);
    });
    socket.on("connect", () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declaredBytes}\r\n\r\n`,
      );
      pump();
    });
  });
}

describe("bodyLimit", () => {
  it("lets a body within the limit through to the route", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      body: "x".repeat(LIMIT),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: LIMIT });
  });

  it("answers 413 to a 200 MB body before reading it, and memory does not grow with it", async () => {
    const before = bodiesRead;
    const rssBefore = process.memoryUsage().rss;
    const { statusLine, sentBytes } = await sendHugeBody("/api/trpc/models.delete", 200 * 2 ** 20);
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    expect(statusLine).toBe("HTTP/1.1 413 Payload Too Large");
    // The answer came while most of the body was still unsent, and no route read any of it.
    expect(sentBytes).toBeLessThan(50 * 2 ** 20);
    expect(bodiesRead).toBe(before);
    expect(rssGrowth).toBeLessThan(64 * 2 ** 20);
  });

  it("a client that reads only after sending its whole refused body still gets the 413", async () => {
    // As the e2e helper and simple clients do: write everything, then read. Closing the socket
    // on the unread rest made the kernel reset the connection, which can throw the answer away.
    const declared = 8 * 2 ** 20;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, "127.0.0.1");
      socket.pause();
      let received = "";
      socket.on("data", (data: Buffer) => (received += data.toString("latin1")));
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
      socket.on("connect", () => {
        socket.write(
          `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: ${declared}\r\n\r\n`,
        );
        socket.end(Buffer.alloc(declared, 120), () => {
          // Everything was sent; give a reset time to arrive before the first read.
          setTimeout(() => socket.resume(), 200);
        });
      });
    });
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect(answer).toContain("at most 1048576 bytes");
  });

  it("cuts off a refused body that is still arriving after the linger time", async () => {
    const lingering = await serveMiddleware(bodyLimit(LIMIT, { lingerMs: 300 }), (_, response) =>
      response.end("a route must not see this"),
    );
    try {
      const started = performance.now();
      const outcome = await new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
        const socket = net.connect(lingering.port, "127.0.0.1");
        let answer = "";
        // 64 KiB every 20 ms of a declared 100 MB: it would take 30 s to send it all.
        const drip = setInterval(() => socket.write(Buffer.alloc(64 * 1024, 120)), 20);
        const closed = () => {
          clearInterval(drip);
          resolve({ answer, closedAfterMs: performance.now() - started });
        };
        socket.on("data", (data: Buffer) => (answer += data.toString("latin1")));
        socket.on("close", closed);
        socket.on("error", () => undefined); // the cut-off may come as a reset
        socket.write(
          `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${100 * 2 ** 20}\r\n\r\n`,
        );
      });
      expect(outcome.answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
      expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(250);
      expect(outcome.closedAfterMs).toBeLessThan(5_000);
    } finally {
      await lingering.close();
    }
  });

  it("answers 413 with a JSON error on the API and a sentence elsewhere", async () => {
    const api = await fetch(`${server.url}/api/trpc/models.delete`, {
      method: "POST",
      body: "x".repeat(LIMIT + 1),
    });
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    const form = await fetch(`${server.url}/models/abc`, {
      method: "POST",
      body: "x".repeat(LIMIT + 1),
    });
    expect(form.status).toBe(413);
    expect(await form.text()).toContain("at most 1048576 bytes");
  });

  it("refuses a body without a Content-Length (chunked) with 411", async () => {
    const response = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("userId=x"));
          controller.close();
        },
      }),
      duplex: "half",
    });
    expect(response.status).toBe(411);
  });
});
