export {
  startSupabaseStandin,
  type SupabaseStandin,
  type SupabaseStandinOptions,
  type SupabaseStandinStats,
} from "./supabase-standin";
export {
  sendWebResponse,
  startFetchServer,
  toWebRequest,
  type FetchHandler,
  type RunningServer,
} from "./fetch-server";
export { createGeneratedStream, type GeneratedStream } from "./streams";
