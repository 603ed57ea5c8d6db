// GET /training/artifacts/{external_job_id}: the job's file URLs, metadata and checksums.
import { createHash } from "node:crypto";
import { type IncomingMessage, type ServerResponse } from "node:http";

import { HttpError, pause, retryAfterHeader, sendJson, sendRaw } from "../http";
import { secretsEqual, signedFileUrl } from "../signing";
import {
  ARTIFACT_FILE_NAMES,
  type ArtifactFileName,
  externalJobIdSchema,
  FAULT_STATUSES,
  type FaultMode,
} from "../spec";
import { type RequestLog, type SimContext } from "./context";

/** Names a `path_traversal` listing adds next to the real files. */
export const PATH_TRAVERSAL_NAMES = [
  "../../etc/passwd",
  "a/b.json",
  "..\\evil",
  "/tmp/absolute.json",
  "..",
] as const;

const LISTING_FAULTS = new Set<FaultMode>([
  "http_500",
  "not_ready",
  "not_found",
  "auth_refused",
  "bad_listing",
  "path_traversal",
  "wrong_checksum",
  "invalid_json",
  "bad_safetensors_header",
]);
/** Faults that stall the listing unless their variant points them at a file. */
const STALL_FAULTS = new Set<FaultMode>(["slow", "hang"]);

function checkApiKey(req: IncomingMessage, apiKey: string): void {
  const authorization = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  if (!match?.[1] || !secretsEqual(match[1].trim(), apiKey)) {
    throw new HttpError(
      401,
      { error: "unauthorized", message: "missing or invalid API key" },
      { "www-authenticate": "Bearer" },
    );
  }
}

export async function handleListing(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  jobId: string,
  log: RequestLog,
): Promise<void> {
  checkApiKey(req, ctx.apiKey);
  if (!externalJobIdSchema.safeParse(jobId).success)
    throw new HttpError(404, { error: "job_not_found" });
  log.jobId = jobId;
  const { state } = ctx;
  state.jobStats(jobId).listingRequests += 1;
  const job = state.job(jobId);
  const { spec } = job;
  const fileUrl = (fileName: string, variant: string) =>
    signedFileUrl(ctx.publicUrl, ctx.signingSecret, ctx.urlTtlSeconds, {
      jobId,
      fileName,
      variant,
    });

  let fault: FaultMode | null = null;
  const stallsListing =
    spec.fault !== null &&
    STALL_FAULTS.has(spec.fault) &&
    (spec.faultVariant ?? "listing") === "listing";
  if (
    spec.fault &&
    (LISTING_FAULTS.has(spec.fault) || stallsListing) &&
    state.takeFault(jobId, job)
  )
    fault = spec.fault;
  log.fault = fault;
  const retryAfter = retryAfterHeader(spec);

  switch (fault) {
    case "http_500":
      throw new HttpError(
        spec.faultStatus ?? FAULT_STATUSES.http_500[0],
        { error: "internal_error", message: "simulated cluster failure" },
        retryAfter,
      );
    case "not_ready": {
      // A 404 "not ready" looks exactly like an unknown job: that is what makes it hard.
      const status = spec.faultStatus ?? FAULT_STATUSES.not_ready[0];
      throw new HttpError(
        status,
        { error: status === 404 ? "job_not_found" : "artifacts_not_ready" },
        retryAfter,
      );
    }
    case "not_found":
      throw new HttpError(404, { error: "job_not_found" }, retryAfter);
    case "auth_refused": {
      const status = spec.faultStatus ?? FAULT_STATUSES.auth_refused[0];
      throw new HttpError(status, { error: status === 403 ? "forbidden" : "unauthorized" });
    }
    case "slow":
    case "hang":
      // `hang` accepts the request and never answers: no status line, no headers.
      if (!(await pause(res, fault === "hang" ? null : spec.faultDelayMs, ctx.shutdown))) return;
      break;
    case "bad_listing":
      switch (spec.faultVariant ?? "malformed_json") {
        case "wrong_shape":
          return sendJson(res, 200, {
            download_urls: [fileUrl("adapter_model.safetensors", "")],
            model_metadata: "lora",
          });
        case "missing_urls":
          return sendJson(res, 200, {
            model_metadata: { base_model: spec.baseModel, adapter_type: "lora" },
          });
        case "not_json":
          return sendRaw(res, 200, "<html><body>502 Bad Gateway</body></html>", "text/html");
        default:
          return sendRaw(
            res,
            200,
            `{"download_urls": {"adapter_model.safetensors": "${ctx.publicUrl}/files/`,
            "application/json",
          );
      }
    default:
      break;
  }

  // Content faults are baked into the signed URLs, so these URLs keep serving what was listed.
  const variants: Record<ArtifactFileName, string> = {
    "adapter_model.safetensors": "",
    "adapter_config.json": "",
    "training_args.json": "",
  };
  if (fault === "bad_safetensors_header") {
    variants["adapter_model.safetensors"] =
      spec.faultVariant === "not_json" ? "not_json" : "length_beyond_file";
  }
  if (fault === "invalid_json") {
    variants[
      spec.faultFile === "training_args.json" ? "training_args.json" : "adapter_config.json"
    ] = "invalid_json";
  }

  const downloadUrls: Record<string, string> = {};
  for (const name of ARTIFACT_FILE_NAMES) downloadUrls[name] = fileUrl(name, variants[name]);
  if (fault === "path_traversal") {
    for (const name of PATH_TRAVERSAL_NAMES) downloadUrls[name] = fileUrl(name, "probe");
  }

  const body: Record<string, unknown> = {
    download_urls: downloadUrls,
    model_metadata: { base_model: spec.baseModel, adapter_type: "lora" },
  };
  if (spec.includeChecksums || fault === "wrong_checksum") {
    const checksums: Record<string, string> = {};
    if (spec.includeChecksums) {
      for (const name of ARTIFACT_FILE_NAMES)
        checksums[name] = await state.checksumOf(jobId, spec, name, variants[name]);
    }
    if (fault === "wrong_checksum") {
      checksums[spec.faultFile] = createHash("sha256")
        .update(`wrong checksum for ${jobId}/${spec.faultFile}`)
        .digest("hex");
    }
    body.checksums = checksums;
  }
  if (res.destroyed) return;
  sendJson(res, 200, body);
}
