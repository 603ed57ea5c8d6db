import { buildFile, fileIdentity } from "./files";
import { safetensorsLayout } from "./safetensors";
import {
  ARTIFACT_FILE_NAMES,
  type ArtifactFileName,
  type JobSpec,
  jobSpecInputSchema,
  resolveJobSpec,
} from "./spec";
import { sha256OfFile } from "./virtual-file";

export type SimRoute = "listing" | "file" | "control" | "health" | "unknown";

export interface JobStats {
  listingRequests: number;
  fileRequests: Record<string, number>;
  bytesSent: number;
  faultsInjected: number;
}

export interface SimStats {
  requests: number;
  bytesSent: number;
  routes: Record<SimRoute, number>;
  jobs: Record<string, JobStats>;
}

export interface JobState {
  spec: JobSpec;
  /** Faulty requests still to serve; Infinity when faultCount was not given. */
  faultsLeft: number;
}

export interface SpecIssue {
  path: string;
  message: string;
}

/** A job spec the simulator cannot serve; `issues` name the fields. */
export class InvalidJobSpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid job spec: ${JSON.stringify(issues)}`);
  }
}

/** Validates a spec from the control API or `registerJob` and fills in its defaults. */
export function parseJobSpec(input: unknown): JobSpec {
  const parsed = jobSpecInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidJobSpecError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
      })),
    );
  }
  const spec = resolveJobSpec(parsed.data);
  try {
    safetensorsLayout(spec);
  } catch (error) {
    throw new InvalidJobSpecError([
      { path: "adapterSizeBytes", message: String((error as Error).message) },
    ]);
  }
  return spec;
}

const emptyStats = (): SimStats => ({
  requests: 0,
  bytesSent: 0,
  routes: { listing: 0, file: 0, control: 0, health: 0, unknown: 0 },
  jobs: {},
});

/** Everything the simulator remembers: registered jobs, fault budgets, stats, checksums. */
export class SimState {
  private readonly jobs = new Map<string, JobState>();
  private readonly checksumCache = new Map<string, Promise<string>>();
  stats: SimStats = emptyStats();

  /** `shutdown` aborts checksum hashing still under way when the server closes. */
  constructor(private readonly shutdown: AbortSignal) {}

  /** The job's state; an unregistered id gets the default spec and no faults. */
  job(jobId: string): JobState {
    return this.jobs.get(jobId) ?? { spec: resolveJobSpec(), faultsLeft: 0 };
  }

  /** Registers (or replaces) a job's spec and resets its fault budget. */
  register(jobId: string, spec: JobSpec): void {
    this.forgetChecksums(jobId);
    this.jobs.set(jobId, {
      spec,
      faultsLeft: spec.fault ? (spec.faultCount ?? Number.POSITIVE_INFINITY) : 0,
    });
  }

  unregister(jobId: string): void {
    this.jobs.delete(jobId);
    this.forgetChecksums(jobId);
  }

  /** What the control API answers for a job. */
  describe(jobId: string) {
    const state = this.jobs.get(jobId);
    const spec = state?.spec ?? resolveJobSpec();
    return {
      id: jobId,
      registered: Boolean(state),
      spec,
      faultsLeft: state ? (Number.isFinite(state.faultsLeft) ? state.faultsLeft : null) : 0,
      fileSizes: this.fileSizes(jobId, spec),
    };
  }

  jobStats(jobId: string): JobStats {
    let entry = this.stats.jobs[jobId];
    if (!entry) {
      entry = { listingRequests: 0, fileRequests: {}, bytesSent: 0, faultsInjected: 0 };
      this.stats.jobs[jobId] = entry;
    }
    return entry;
  }

  /** Takes one faulty request from the job's budget; false once the budget is spent. */
  takeFault(jobId: string, state: JobState): boolean {
    if (state.faultsLeft <= 0) return false;
    state.faultsLeft -= 1;
    this.jobStats(jobId).faultsInjected += 1;
    return true;
  }

  /** Counts body bytes written for a job. */
  countBytesSent(jobId: string, bytes: number): void {
    this.jobStats(jobId).bytesSent += bytes;
    this.stats.bytesSent += bytes;
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  /** sha256 of a served file version, hashed once (in the background) and cached. */
  checksumOf(jobId: string, spec: JobSpec, fileName: string, variant: string): Promise<string> {
    const key = fileIdentity(jobId, spec, fileName, variant);
    let pending = this.checksumCache.get(key);
    if (!pending) {
      const file = buildFile(jobId, spec, fileName, variant);
      if (!file) return Promise.reject(new Error(`no file ${fileName}`));
      pending = sha256OfFile(file, this.shutdown);
      pending.catch(() => this.checksumCache.delete(key));
      this.checksumCache.set(key, pending);
    }
    return pending;
  }

  /** The true sha256 of each of the job's files (as served without faults). */
  async checksums(jobId: string): Promise<Record<ArtifactFileName, string>> {
    const { spec } = this.job(jobId);
    const result = {} as Record<ArtifactFileName, string>;
    for (const name of ARTIFACT_FILE_NAMES)
      result[name] = await this.checksumOf(jobId, spec, name, "");
    return result;
  }

  fileSizes(jobId: string, spec: JobSpec = this.job(jobId).spec): Record<ArtifactFileName, number> {
    const sizes = {} as Record<ArtifactFileName, number>;
    for (const name of ARTIFACT_FILE_NAMES)
      sizes[name] = buildFile(jobId, spec, name, "")?.size ?? 0;
    return sizes;
  }

  private forgetChecksums(jobId: string): void {
    for (const key of this.checksumCache.keys())
      if (key.startsWith(`${jobId}\n`)) this.checksumCache.delete(key);
  }
}
