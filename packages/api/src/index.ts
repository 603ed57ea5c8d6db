export {
  createAuth,
  type Auth,
  type AuthConfig,
  type MintOptions,
  type VerifiedUser,
} from "./auth";
export {
  createContext,
  consoleLogger,
  type ApiDeps,
  type ApiLogger,
  type AuthSource,
  type Context,
} from "./context";
export {
  createApiHandler,
  isSameOriginRequest,
  API_ENDPOINT,
  MAX_BATCH_SIZE,
  type ApiHandlerDeps,
} from "./http";
export {
  appRouter,
  createServerCaller,
  type AppRouter,
  type RouterInputs,
  type RouterOutputs,
  type ServerCaller,
} from "./root";
export { SIGNED_URL_TTL_SECONDS } from "./router/models/download";
export { MODEL_NOT_FOUND_MESSAGE } from "./router/models/ownership";
export { listModelsInput, type ListModelsInput } from "./router/models/inputs";
export { downsampleLossCurve, type LossPoint } from "./downsample";
export { modelCardFrom } from "./router/models/card";
