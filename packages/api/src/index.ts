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
export {
  SIGNED_URL_TTL_SECONDS,
  MODEL_NOT_FOUND_MESSAGE,
  listModelsInput,
  type ListModelsInput,
} from "./router/models";
export { downsampleLossCurve, type LossPoint } from "./downsample";
