// `pnpm --filter @mad/gpu-cluster-sim bench`: how fast the simulator serves a 1 GiB adapter over
// loopback to a fetch client that only counts bytes (the ceiling for the ingester's copy).
import { startGpuClusterSim } from "./server";

const SIZE = Number(process.env.BENCH_BYTES ?? 1024 ** 3);
const sim = await startGpuClusterSim({ apiKey: "bench-key-123" });
try {
  sim.registerJob("bench", { adapterSizeBytes: SIZE, includeChecksums: false });
  const listing = (await (
    await fetch(`${sim.url}/training/artifacts/bench`, {
      headers: { authorization: "Bearer bench-key-123" },
    })
  ).json()) as { download_urls: Record<string, string> };
  for (let run = 1; run <= 3; run++) {
    const started = performance.now();
    const response = await fetch(listing.download_urls["adapter_model.safetensors"] ?? "");
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) bytes += chunk.length;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        run,
        bytes,
        seconds: +seconds.toFixed(3),
        mbPerSecond: Math.round(bytes / seconds / 1e6),
      }),
    );
  }
} finally {
  await sim.close();
}
