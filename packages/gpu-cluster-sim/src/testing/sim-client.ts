// Test support: a simulator on a free loopback port per test file, and a client for its three
// APIs that asserts what every test would otherwise repeat.
import { afterAll, beforeAll, expect } from "vitest";
import { z } from "zod";

import { type GpuClusterSim, type JobSpecInput, startGpuClusterSim } from "../index";

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** The listing's documented shape (SPEC §4); strict, so an extra top-level field fails. */
export const listingSchema = z
  .object({
    download_urls: z.object({
      "adapter_model.safetensors": z.url(),
      "adapter_config.json": z.url(),
      "training_args.json": z.url(),
    }),
    model_metadata: z.object({ base_model: z.string(), adapter_type: z.literal("lora") }),
    checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  })
  .strict();
export type Listing = z.infer<typeof listingSchema>;

/** A listing as sent, unchecked (faulty listings carry extra or missing fields). */
export interface RawListing {
  download_urls: Record<string, string>;
  model_metadata: { base_model: string; adapter_type: string };
  checksums?: Record<string, string>;
}

export interface SimClient {
  readonly sim: GpuClusterSim;
  readonly apiKey: string;
  /** GET of the listing with the given key (`null`: no Authorization header). */
  listingResponse: (
    jobId: string,
    init?: RequestInit & { key?: string | null },
  ) => Promise<Response>;
  /** A 200 listing, checked against the documented shape. */
  listing: (jobId: string) => Promise<Listing>;
  /** A 200 listing, as sent. */
  rawListing: (jobId: string) => Promise<RawListing>;
  control: (path: string, init?: RequestInit) => Promise<Response>;
  putJob: (jobId: string, spec: unknown) => Promise<Response>;
  /** Registers the spec under a fresh job id, so tests never share fault counters. */
  job: (spec: JobSpecInput) => string;
}

/** Starts a simulator before the file's tests and closes it after them. */
export function useSim(apiKey: string): SimClient {
  let sim: GpuClusterSim | undefined;
  let jobCounter = 0;
  beforeAll(async () => {
    sim = await startGpuClusterSim({ port: 0, apiKey });
  });
  afterAll(async () => {
    await sim?.close();
  });
  const started = (): GpuClusterSim => {
    if (!sim) throw new Error("the simulator starts in beforeAll");
    return sim;
  };

  const client: SimClient = {
    get sim() {
      return started();
    },
    apiKey,
    listingResponse: (jobId, { key = apiKey, ...init } = {}) =>
      fetch(`${started().url}/training/artifacts/${encodeURIComponent(jobId)}`, {
        ...init,
        ...(key === null ? {} : { headers: { authorization: `Bearer ${key}` } }),
      }),
    listing: async (jobId) => {
      const response = await client.listingResponse(jobId);
      expect(response.status).toBe(200);
      return listingSchema.parse(await response.json());
    },
    rawListing: async (jobId) => {
      const response = await client.listingResponse(jobId);
      expect(response.status).toBe(200);
      return (await response.json()) as RawListing;
    },
    control: (path, init = {}) => fetch(`${started().url}/_control${path}`, init),
    putJob: (jobId, spec) =>
      client.control(`/jobs/${jobId}`, {
        method: "PUT",
        body: JSON.stringify(spec),
        headers: { "content-type": "application/json" },
      }),
    job: (spec) => {
      const id = `fresh-job-${++jobCounter}`;
      started().registerJob(id, spec);
      return id;
    },
  };
  return client;
}

/** The listed URL of a file (default the safetensors file). */
export const fileUrl = (body: RawListing, name = "adapter_model.safetensors") =>
  body.download_urls[name] ?? "";
