/**
 * A real node:http server for tests of server.js's middlewares: they read raw requests and
 * sockets, so a mocked request would not show what a browser or proxy gets.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { NodeMiddleware } from "../server/body-limit.server";

export interface MiddlewareServer {
  port: number;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close: () => Promise<void>;
}

/** Listens on a free local port, running `middleware` and then, if it lets a request on, `route`. */
export async function serveMiddleware(
  middleware: NodeMiddleware,
  route: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<MiddlewareServer> {
  const server = createServer((request, response) =>
    middleware(request, response, () => route(request, response)),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.close();
      await once(server, "close");
    },
  };
}
