import { type FaultMode } from "../spec";
import { type SimRoute, type SimState } from "../state";

/** What every route handler works with: the simulator's state and its fixed settings. */
export interface SimContext {
  state: SimState;
  /** The bearer key the listing accepts. */
  apiKey: string;
  signingSecret: Buffer;
  urlTtlSeconds: number;
  /** Origin written into file URLs; known once the server listens. */
  publicUrl: string;
  /** Aborted by `close()`: ends waits, stalls and hashing. */
  shutdown: AbortSignal;
}

/** Filled in by the handlers for the request's log line. */
export interface RequestLog {
  route: SimRoute;
  jobId: string | null;
  fault: FaultMode | null;
  bytesSent: number;
}
