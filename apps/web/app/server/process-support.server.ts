/**
 * What server.js needs from the TypeScript side, in one module: compiled with the Remix build into
 * `build/server-support.mjs` (`scripts/build-server-support.ts`), so the production server runs
 * with plain Node. prom-client stays an import, so its registry is the one the Remix build
 * counts into.
 */
export { readListenEnv, readWebEnv } from "../env.server";
export { bodyLimit } from "./body-limit.server";
export { refuseCrossSitePosts } from "./cross-site.server";
export { refuseMalformedPaths, strictTransportSecurity } from "./http-hardening.server";
export { metricsRegistry, observeRequest } from "./metrics.server";
export { REQUEST_ID_HEADER, requestIdFrom } from "./request-id.server";
export { createLogger, redactUrl } from "@mad/logger";
