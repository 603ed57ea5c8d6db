// /_control/jobs/{id} (PUT|GET|DELETE) and /_control/stats (GET|DELETE): how tests and the dev
// stack steer the simulator over HTTP. No auth: the simulator binds to 127.0.0.1.
import { type IncomingMessage, type ServerResponse } from "node:http";

import { HttpError, readJsonBody, sendJson } from "../http";
import { externalJobIdSchema } from "../spec";
import { InvalidJobSpecError, parseJobSpec } from "../state";
import { type RequestLog, type SimContext } from "./context";

const CONTROL_BODY_LIMIT = 64 * 1024;

export async function handleControl(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  segments: string[],
  log: RequestLog,
): Promise<void> {
  const { state } = ctx;
  const [, resource, rawId] = segments;
  if (resource === "stats" && segments.length === 2) {
    if (req.method === "GET") return sendJson(res, 200, state.stats);
    if (req.method === "DELETE") {
      state.resetStats();
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, { error: "method_not_allowed" });
  }
  if (resource === "jobs" && rawId !== undefined && segments.length === 3) {
    const jobId = externalJobIdSchema.safeParse(rawId);
    if (!jobId.success) throw new HttpError(400, { error: "invalid_job_id" });
    log.jobId = jobId.data;
    if (req.method === "PUT") {
      const body = await readJsonBody(req, CONTROL_BODY_LIMIT);
      try {
        state.register(jobId.data, parseJobSpec(body));
      } catch (error) {
        if (error instanceof InvalidJobSpecError)
          throw new HttpError(400, { error: "invalid_job_spec", issues: error.issues });
        throw error;
      }
      return sendJson(res, 200, state.describe(jobId.data));
    }
    if (req.method === "GET") return sendJson(res, 200, state.describe(jobId.data));
    if (req.method === "DELETE") {
      state.unregister(jobId.data);
      res.writeHead(204).end();
      return;
    }
    throw new HttpError(405, { error: "method_not_allowed" });
  }
  throw new HttpError(404, { error: "not_found" });
}
