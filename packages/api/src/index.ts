export {
  createAuth,
  type Auth,
  type AuthConfig,
  type MintOptions,
  type VerifiedUser,
} from "./auth";
export {
  createContext,
  defaultApiLogger,
  type ApiDeps,
  type ApiLogger,
  type ApiMetrics,
  type BundleConfig,
  type AuthSource,
  type Context,
} from "./context";
export { createApiHandler, API_ENDPOINT, MAX_BATCH_SIZE, type ApiHandlerDeps } from "./http";
export {
  appRouter,
  createServerCaller,
  type AppRouter,
  type RouterInputs,
  type RouterOutputs,
  type ServerCaller,
} from "./root";
export { isSameOriginRequest } from "./csrf";
export { SIGNED_URL_TTL_SECONDS } from "./router/models/download";
export { MODEL_NOT_FOUND_MESSAGE } from "./router/models/ownership";
export { listModelsInput, type ListModelsInput } from "./router/models/inputs";
export { downsampleLossCurve, type LossPoint } from "./downsample";
export {
  createBundleHandler,
  loadModelBundle,
  sha256sums,
  SHA256SUMS_NAME,
  SHA256SUMS_VERIFY_COMMAND,
  type BundleHandlerDeps,
} from "./bundle";
export { modelCardFrom } from "./router/models/card";
