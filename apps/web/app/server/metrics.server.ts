/**
 * The dashboard's Prometheus metrics. They live in prom-client's default registry, which
 * `server.js` and the Remix build share (both import the one installed prom-client), so the
 * request timer in server.js and the API's counters land in one place; with several processes
 * the primary aggregates the workers' registries.
 */
import { collectDefaultMetrics, Counter, Histogram, register } from "prom-client";

import type { ApiMetrics } from "@mad/api";

const metricsKey = Symbol.for("mad.web.metrics");

interface WebMetrics {
  requestDuration: Histogram<"method" | "route" | "status">;
  signedUrls: Counter;
}

/** Created once per process, whoever asks first (server.js or the build). */
function webMetrics(): WebMetrics {
  const holder = globalThis as typeof globalThis & { [metricsKey]?: WebMetrics };
  holder[metricsKey] ??= (() => {
    collectDefaultMetrics({ prefix: "mad_web_" });
    return {
      requestDuration: new Histogram({
        name: "mad_web_http_request_duration_seconds",
        help: "HTTP request durations by route pattern (never the raw path: ids would explode it).",
        labelNames: ["method", "route", "status"] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      }),
      signedUrls: new Counter({
        name: "mad_signed_urls_issued_total",
        help: "Signed download URLs issued by the API.",
      }),
    };
  })();
  return holder[metricsKey];
}

const ROUTES: [RegExp, string][] = [
  [/^\/models\/?$/, "/models"],
  [/^\/models\/[^/]+\/?$/, "/models/:modelId"],
  [/^\/models\/[^/]+\/[^/]+/, "/models/:modelId/*"],
  [/^\/api\/trpc\/[^/]+$/, "/api/trpc/:procedure"],
  [/^\/storage\/v1\/object\/sign\//, "/storage/v1/object/sign/*"],
  [/^\/(login|logout|notifications|healthz|readyz|dev-login)\/?$/, "/$1"],
  [/^\/$/, "/"],
  [/^\/assets\//, "/assets/*"],
];

/** A bounded label for a request path: its route pattern, or "other". */
export function routeLabel(path: string): string {
  for (const [pattern, label] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return label.replace("$1", match[1] ?? "");
  }
  return "other";
}

export function observeRequest(method: string, path: string, status: number, seconds: number) {
  webMetrics().requestDuration.observe(
    { method, route: routeLabel(path), status: String(status) },
    seconds,
  );
}

export const apiMetrics: ApiMetrics = {
  signedUrlsIssued: (count) => webMetrics().signedUrls.inc(count),
};

/** The registry the metrics endpoint serves (this process's). */
export function metricsRegistry() {
  webMetrics();
  return register;
}
