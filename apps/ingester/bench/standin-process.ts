/**
 * The Supabase stand-in as a process of its own for the benchmark: storage is a remote service,
 * so it must not share an event loop with the simulator or the ingester being measured. Prints
 * `{ url, serviceRoleKey }` as one JSON line, then serves until killed.
 */
import { startSupabaseStandin } from "@mad/storage/testing";

const standin = await startSupabaseStandin({ rootDir: process.argv[2] });
process.stdout.write(
  `${JSON.stringify({ url: standin.url, serviceRoleKey: standin.serviceRoleKey })}\n`,
);
process.on("SIGTERM", () => {
  void standin.close().then(() => process.exit(0));
});
