/** The GPU cluster's artifacts API: reachable, and the key accepted. */
import { randomUUID } from "node:crypto";

import { type CheckResult, describeError, displayUrl, fail, pass } from "../check";
import type { DoctorEnv } from "../env";

export interface ClusterFindings {
  result: CheckResult;
  /** The `Date` header of the answer, for the clock check. */
  serverDate: Date | null;
}

export async function checkCluster(env: DoctorEnv): Promise<ClusterFindings> {
  const base = env.GPU_CLUSTER_API_URL.endsWith("/")
    ? env.GPU_CLUSTER_API_URL
    : `${env.GPU_CLUSTER_API_URL}/`;
  // A job id that cannot exist: "not found" proves the route and the key without touching data.
  const probe = new URL(`training/artifacts/preflight-${randomUUID()}`, base);
  const name = "GPU cluster reachable with the key";
  try {
    const response = await fetch(probe, {
      headers: { authorization: `Bearer ${env.GPU_CLUSTER_API_KEY}` },
      signal: AbortSignal.timeout(10_000),
      redirect: "manual",
    });
    await response.body?.cancel();
    const date = response.headers.get("date");
    const serverDate = date ? new Date(date) : null;
    if (response.status === 401 || response.status === 403) {
      return {
        serverDate,
        result: fail(
          name,
          `the cluster refused the key (HTTP ${response.status})`,
          "set GPU_CLUSTER_API_KEY to a key the cluster accepts",
        ),
      };
    }
    if (response.status >= 500) {
      return {
        serverDate,
        result: fail(
          name,
          `the cluster answered HTTP ${response.status}`,
          "check the cluster's status; GPU_CLUSTER_API_URL must be its artifacts API",
        ),
      };
    }
    return {
      serverDate,
      result: pass(name, `${displayUrl(base)} answers and accepts the key`),
    };
  } catch (error) {
    return {
      serverDate: null,
      result: fail(
        name,
        `cannot reach ${displayUrl(base)}: ${describeError(error)}`,
        "check GPU_CLUSTER_API_URL and that this host may reach it",
      ),
    };
  }
}
