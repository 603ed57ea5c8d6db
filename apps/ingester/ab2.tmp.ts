import { startGpuClusterSim } from "@mad/gpu-cluster-sim";
import { createStorage } from "@mad/storage";
import { startSupabaseStandin } from "@mad/storage/testing";
import { createClusterClient } from "./src/cluster";
import { copyArtifactFiles } from "./src/copy/copy-files";
const KEY = "bench-key-0123456789-abcdefghijklmnopqrstuvwxyz";
const sim = await startGpuClusterSim({ port: 0, apiKey: KEY });
const standin = await startSupabaseStandin();
const size = 512 * 1024 * 1024;
sim.registerJob("j", { adapterSizeBytes: size, includeChecksums: false });
const client = createClusterClient({ baseUrl: sim.url, apiKey: KEY });
const listing = await client.getArtifactListing("j");
const adapter = listing.files.find((f) => f.name.endsWith(".safetensors"))!;
const mode = process.argv[2];
const storage = mode === "local"
  ? createStorage({ backend: "local", rootDir: "/tmp/x/ab2", signingSecret: "b".repeat(40), publicBaseUrl: "http://localhost:3000" })
  : createStorage({ backend: "supabase", url: standin.url, serviceRoleKey: standin.serviceRoleKey, resumableThresholdBytes: mode === "std" ? 64 * 1024 ** 3 : 6 * 1024 * 1024 });
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  await copyArtifactFiles({ cluster: client, storage, folder: `u/r${i}/`, files: [adapter], fileRetries: 0 });
  console.log(mode, Math.round(size / 1048576 / ((performance.now() - t) / 1000)));
}
await standin.close(); await sim.close();
