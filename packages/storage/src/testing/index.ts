export {
  type FetchHandler,
  type RunningServer,
  sendWebResponse,
  startFetchServer,
  toWebRequest,
} from "./fetch-server";
export { createGeneratedStream, type GeneratedStream, inChunks, sha256Hex } from "./streams";
export {
  startSupabaseStandin,
  type SupabaseStandin,
  type SupabaseStandinOptions,
  type SupabaseStandinStats,
} from "./supabase-standin";
