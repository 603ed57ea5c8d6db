// GET|HEAD /files/{id}/{name}?v=&exp=&sig=: one file, whole or a byte range, streamed.
import { type IncomingMessage, type ServerResponse } from "node:http";

import { buildFile, fileEtag } from "../files";
import { drained, HttpError, parseRange, pause, retryAfterHeader } from "../http";
import { verifyFileSignature } from "../signing";
import { FAULT_STATUSES, type FaultMode } from "../spec";
import { type RequestLog, type SimContext } from "./context";

const FILE_FAULTS = new Set<FaultMode>([
  "reset_mid_file",
  "truncated",
  "missing_file",
  "file_not_ready",
]);
/** Faults that stall `faultFile` when their variant says so (before headers or mid body). */
const STALL_FAULTS = new Set<FaultMode>(["slow", "hang"]);

export interface FileRequest {
  jobId: string;
  fileName: string;
  /** The URL's query: variant, expiry and signature. */
  query: URLSearchParams;
}

export async function handleFile(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  { jobId, fileName, query }: FileRequest,
  log: RequestLog,
): Promise<void> {
  const variant = query.get("v") ?? "";
  const expiresAt = Number(query.get("exp"));
  const signature = query.get("sig") ?? "";
  if (
    !Number.isInteger(expiresAt) ||
    !verifyFileSignature(ctx.signingSecret, { jobId, fileName, variant, expiresAt }, signature)
  ) {
    throw new HttpError(403, { error: "invalid_signature" });
  }
  if (expiresAt < Date.now() / 1000) throw new HttpError(403, { error: "url_expired" });
  log.jobId = jobId;
  const { state } = ctx;
  const stat = state.jobStats(jobId);
  stat.fileRequests[fileName] = (stat.fileRequests[fileName] ?? 0) + 1;
  const job = state.job(jobId);
  const { spec } = job;
  const file = buildFile(jobId, spec, fileName, variant);
  if (!file) throw new HttpError(404, { error: "file_not_found" });

  let fault: FaultMode | null = null;
  const stallsFile =
    spec.fault !== null &&
    STALL_FAULTS.has(spec.fault) &&
    (spec.faultVariant === "file_headers" || spec.faultVariant === "file_mid_body");
  if (
    spec.fault &&
    (FILE_FAULTS.has(spec.fault) || stallsFile) &&
    fileName === spec.faultFile &&
    state.takeFault(jobId, job)
  ) {
    fault = spec.fault;
  }
  log.fault = fault;
  if (fault === "missing_file" || fault === "file_not_ready") {
    // A 404 is what object storage answers for an object not written yet; a 503 is a gateway's.
    const status =
      fault === "missing_file" ? 404 : (spec.faultStatus ?? FAULT_STATUSES.file_not_ready[0]);
    throw new HttpError(
      status,
      { error: status === 404 ? "file_not_found" : "file_not_ready" },
      retryAfterHeader(spec),
    );
  }
  // How long a stall lasts: `slow` waits faultDelayMs, `hang` until the client or server quits.
  const stallMs = fault === "hang" ? null : spec.faultDelayMs;
  const stalls = fault === "slow" || fault === "hang";
  if (stalls && spec.faultVariant === "file_headers" && !(await pause(res, stallMs, ctx.shutdown)))
    return;

  const etag = fileEtag(jobId, spec, fileName, variant);
  const ifRange = req.headers["if-range"];
  const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, file.size);
  if (range === "unsatisfiable") {
    throw new HttpError(
      416,
      { error: "range_not_satisfiable" },
      { "content-range": `bytes */${file.size}` },
    );
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? file.size;
  const length = end - start;
  // How many body bytes this response will really carry, and what it promises.
  let sendBytes = length;
  let declaredLength = length;
  if (fault === "reset_mid_file" || fault === "truncated") sendBytes = Math.floor(length / 2);
  if (fault === "truncated" && spec.faultVariant === "short_length") declaredLength = sendBytes;

  const headers: Record<string, string | number> = {
    "content-type": file.contentType,
    "content-length": declaredLength,
    "accept-ranges": "bytes",
    etag,
    "cache-control": "no-store",
    "content-disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
  };
  if (range) headers["content-range"] = `bytes ${start}-${end - 1}/${file.size}`;
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }

  const pauseAt = stalls && spec.faultVariant === "file_mid_body" ? Math.floor(length / 2) : -1;
  let sent = 0;
  let flushed: Promise<unknown> = Promise.resolve();
  const write = (piece: Buffer): boolean => {
    sent += piece.length;
    log.bytesSent += piece.length;
    state.countBytesSent(jobId, piece.length);
    let ok = true;
    // The callback runs once the piece (and so everything before it) is handed to the kernel.
    flushed = new Promise((resolve) => {
      ok = res.write(piece, resolve);
    });
    return ok;
  };
  for (const chunk of file.chunks(start, start + sendBytes)) {
    if (res.destroyed) return;
    let piece = chunk;
    if (pauseAt >= 0 && sent < pauseAt && sent + piece.length > pauseAt) {
      const head = pauseAt - sent;
      write(piece.subarray(0, head));
      piece = piece.subarray(head);
      if (!(await pause(res, stallMs, ctx.shutdown))) return;
    }
    if (!write(piece) && !(await drained(res))) return;
  }
  if (fault === "reset_mid_file" || (fault === "truncated" && declaredLength !== sendBytes)) {
    await Promise.race([flushed, new Promise((resolve) => res.once("close", resolve))]);
    if (fault === "reset_mid_file") {
      // Cut the connection with an RST: the client sees ECONNRESET mid-body.
      res.socket?.resetAndDestroy();
    } else {
      // Promised the whole file, sent half: close cleanly (FIN); the client sees a short body.
      res.socket?.end();
    }
    return;
  }
  res.end();
}
