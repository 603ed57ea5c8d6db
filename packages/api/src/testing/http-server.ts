/** A real node:http server on 127.0.0.1 (port 0) in front of fetch-style handlers. */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type FetchHandler = (request: Request) => Promise<Response>;

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? Readable.toWeb(req) : undefined,
    duplex: "half",
  });
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body);
  // A client that goes away cancels the body (as Node's own servers do), so sources are closed.
  res.once("close", () => body.destroy());
  try {
    for await (const chunk of body) {
      if (!res.write(chunk)) await once(res, "drain");
    }
    res.end();
  } catch {
    res.destroy();
  }
}

/** `route` picks the handler for a path (first match wins). */
export async function serveFetch(
  route: (pathname: string) => FetchHandler | null,
): Promise<RunningServer> {
  let origin = "";
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const request = toRequest(req, origin);
        const handler = route(new URL(request.url).pathname);
        const response = handler
          ? await handler(request)
          : new Response("not found", { status: 404 });
        await send(response, res);
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
