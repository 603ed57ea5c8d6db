/**
 * `pnpm --filter @mad/web bench:events`: how soon a subscriber hears that a model is stored,
 * through the real dashboard server (production build, one process) on a throw-away stack.
 *
 * For each of BENCH_EVENT_JOBS (200) models: a completed training job is begun and completed
 * through the artifact lifecycle (what the ingester does at the end of a copy), and the time from
 * sending the completing transaction (and, as a lower bound, from its commit's answer) to the typed client's `models.events` subscription (SSE)
 * receiving its "stored" event is recorded. Baseline in the same run: the round trip of a small
 * query through the same server and client (`notifications.unreadCount`), so the ratio says what
 * the event path costs beyond one API call. Target: p50 ≤ 100 ms.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

import { createAuth } from "@mad/api";
import { createModelsClient } from "@mad/api/client";
import { artifactIdForJob, beginIngestion, completeIngestion, createDb, DEMO_USERS } from "@mad/db";
import { fileEntryFor, insertDataset, insertTrainingJob, NOT_RATED } from "@mad/db/testing";
import { startStack } from "@mad/dev-stack";

import { benchStackOptions } from "../e2e/support/stacks";

const JOBS = Number(process.env.BENCH_EVENT_JOBS ?? 200);
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const [ada] = DEMO_USERS;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const stack = await startStack({
    ...benchStackOptions({
      reuseBuild: process.env.BENCH_SKIP_BUILD === "1",
      webEnv: { WEB_CONCURRENCY: "1", LOG_LEVEL: "warn" },
    }),
  });
  const client = createDb(stack.databaseUrl, { max: 2, applicationName: "mad-bench-events" });
  try {
    const token = await createAuth({ jwtSecret: stack.secrets.AUTH_JWT_SECRET }).mintAccessToken(
      ada.id,
      { expiresInSeconds: 86_400 },
    );
    const api = createModelsClient({ baseUrl: stack.webUrl, token });
    const dataset = await insertDataset(client.db, { userId: ada.id, name: "Events bench" });

    const heard = new Map<string, number>();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const subscription = api.models.events.subscribe(undefined, {
      onStarted: () => opened(),
      onData: (event) => {
        if (event.kind === "stored") heard.set(event.model_id, performance.now());
      },
      onError: (error) => say(`subscription error: ${String(error)}`),
    });
    await open;
    // The stream opens before the server's generator subscribes to the hub: give it a moment,
    // then warm both paths.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < 20; i++) await api.notifications.unreadCount.query();

    const roundTrips: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      const started = performance.now();
      await api.notifications.unreadCount.query();
      roundTrips.push(performance.now() - started);
    }

    const fromCommitted: number[] = [];
    const fromSent: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      const job = await insertTrainingJob(client.db, {
        userId: ada.id,
        datasetId: dataset.id,
        status: "completed",
        externalJobId: `bench-${randomUUID()}`,
        completedAt: new Date(),
      });
      const artifactId = artifactIdForJob(job.id);
      // Begin and complete in one transaction, so the stack's ingester finds nothing to do.
      const sent = performance.now();
      await client.db.transaction(async (tx) => {
        await beginIngestion(tx, job.id);
        await completeIngestion(
          tx,
          { artifactId, jobId: job.id },
          {
            quality: NOT_RATED,
            summary: {
              epochs_completed: 1,
              total_steps: 10,
              final_loss: null,
              training_duration_hours: 0.1,
              total_cost: 1,
            },
            modelMetadata: { base_model: "m", adapter_type: "lora" },
            files: [fileEntryFor(ada.id, artifactId, "adapter_config.json", "{}")],
          },
        );
      });
      const committed = performance.now();
      const deadline = committed + 5_000;
      while (!heard.has(artifactId) && performance.now() < deadline) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      const at = heard.get(artifactId);
      if (at === undefined) throw new Error(`no "stored" event for ${artifactId} within 5 s`);
      // Heard at `at`; the commit happened somewhere between `sent` and `committed` (the event
      // can arrive before the COMMIT's answer does): both bounds are reported.
      fromCommitted.push(Math.max(0, at - committed));
      fromSent.push(at - sent);
    }
    subscription.unsubscribe();

    const p50 = percentile(fromSent, 50);
    const p99 = percentile(fromSent, 99);
    const base50 = percentile(roundTrips, 50);
    const base99 = percentile(roundTrips, 99);
    say(`${JOBS} models stored → "stored" event at a models.events subscriber (SSE, typed client)`);
    say(
      `  event latency   p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  from sending the completing transaction (target p50 ≤ 100 ms)`,
    );
    const low50 = percentile(fromCommitted, 50);
    const low99 = percentile(fromCommitted, 99);
    say(
      `                  p50 ${low50.toFixed(1)} ms  p99 ${low99.toFixed(1)} ms  from its COMMIT's answer (a lower bound)`,
    );
    say(`  API round trip  p50 ${base50.toFixed(1)} ms  p99 ${base99.toFixed(1)} ms  (baseline)`);
    say(
      `  ratio event / round trip: p50 ${(p50 / base50).toFixed(2)}×  p99 ${(p99 / base99).toFixed(2)}×`,
    );
  } finally {
    await client.close();
    await stack.stop();
  }
}

await main();
