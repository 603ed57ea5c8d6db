import { describe, expect, it } from "vitest";

import { apiMetrics, metricsRegistry, observeRequest, routeLabel } from "./metrics.server";

describe("web metrics", () => {
  it("labels requests by route pattern, never by id or query", () => {
    expect(routeLabel("/models")).toBe("/models");
    expect(routeLabel("/models/4b7f0c9e-2f0e-5d0a-9a43-0c2c3b3f5e11")).toBe("/models/:modelId");
    expect(routeLabel("/api/trpc/models.list")).toBe("/api/trpc/:procedure");
    expect(routeLabel("/storage/v1/object/sign/lora-models/u/a/f.bin")).toBe(
      "/storage/v1/object/sign/*",
    );
    expect(routeLabel("/login")).toBe("/login");
    expect(routeLabel("/wp-admin/setup.php")).toBe("other");
  });

  it("exports request durations and signed URLs in the Prometheus format", async () => {
    observeRequest("GET", "/models/abc", 200, 0.012);
    apiMetrics.signedUrlsIssued(3);
    const text = await metricsRegistry().metrics();
    expect(text).toMatch(
      /mad_web_http_request_duration_seconds_count\{method="GET",route="\/models\/:modelId",status="200"\} 1/,
    );
    expect(text).toMatch(/^mad_signed_urls_issued_total 3$/m);
    expect(text).toMatch(/^mad_web_process_resident_memory_bytes \d+/m);
  });
});
