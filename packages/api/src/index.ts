export {
  type Auth,
  type AuthConfig,
  createAuth,
  type MintOptions,
  type VerifiedUser,
} from "./auth";
export {
  type BundleHandlerDeps,
  createBundleHandler,
  loadModelBundle,
  sha256sums,
  SHA256SUMS_NAME,
  SHA256SUMS_VERIFY_COMMAND,
} from "./bundle";
export {
  type ApiDeps,
  type ApiLogger,
  type ApiMetrics,
  type AuthSource,
  type BundleConfig,
  type Context,
  createContext,
  defaultApiLogger,
} from "./context";
export { isSameOriginRequest } from "./csrf";
export { downsampleLossCurve, type LossPoint } from "./downsample";
export { API_ENDPOINT, type ApiHandlerDeps, createApiHandler, MAX_BATCH_SIZE } from "./http";
export {
  type AppRouter,
  appRouter,
  createServerCaller,
  type RouterInputs,
  type RouterOutputs,
  type ServerCaller,
} from "./root";
export { modelCardFrom } from "./router/models/card";
export { SIGNED_URL_TTL_SECONDS } from "./router/models/download";
export { type ListModelsInput, listModelsInput } from "./router/models/inputs";
export { MODEL_NOT_FOUND_MESSAGE } from "./router/models/ownership";
