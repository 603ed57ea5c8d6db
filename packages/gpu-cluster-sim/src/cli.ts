// `pnpm --filter @mad/gpu-cluster-sim start`: runs the simulator until SIGTERM/SIGINT.
// Every line on stdout/stderr is one JSON object.
import { readSimEnv } from "./env";
import { startGpuClusterSim } from "./server";

const log = (
  level: "info" | "warn" | "error",
  msg: string,
  fields: Record<string, unknown> = {},
) => {
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    service: "gpu-cluster-sim",
    msg,
    ...fields,
  });
  if (level === "error") console.error(line);
  else console.log(line);
};

let env;
try {
  env = readSimEnv();
} catch (error) {
  log("error", (error as Error).message);
  process.exit(1);
}

const sim = await startGpuClusterSim({
  port: env.GPU_CLUSTER_SIM_PORT,
  host: env.GPU_CLUSTER_SIM_HOST,
  apiKey: env.GPU_CLUSTER_API_KEY,
  publicUrl: env.GPU_CLUSTER_SIM_PUBLIC_URL,
  onLog: ({ level, msg, ...fields }) => log(level, msg, fields),
});
log("info", "listening", { url: sim.url, port: sim.port });

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  log("info", "shutting down", { signal });
  sim.close().then(
    () => process.exit(0),
    (error: unknown) => {
      log("error", "close failed", { error: String(error) });
      process.exit(1);
    },
  );
};
process.once("SIGTERM", () => shutdown("SIGTERM"));
process.once("SIGINT", () => shutdown("SIGINT"));
