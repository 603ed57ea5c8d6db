/**
 * `pnpm --filter @mad/web bench:events`: how soon a subscriber hears that a model is stored, and
 * how soon a webhook receiver gets its signed `model.ready`, through the real dashboard server
 * (production build, one process) and the real ingester on a throw-away stack.
 *
 * For each of BENCH_EVENT_JOBS (200) models: a running training job is completed, begun and
 * completed through the artifact lifecycle in one transaction (what the ingester does at the end
 * of a copy), and the time from sending that transaction (and, as a lower bound, from its commit's
 * answer) to
 *   - the typed client's `models.events` subscription (SSE) receiving its "stored" event, and
 *   - a loopback HTTP receiver, registered through `webhooks.create`, receiving the `model.ready`
 *     delivery the outbox trigger queued and the ingester's worker sent (signature checked with
 *     `verifyWebhook`, payload with the schema, reasons present)
 * is recorded. Baseline in the same run: the round trip of a small query through the same server
 * and client (`notifications.unreadCount`), so the ratios say what each path costs beyond one API
 * call. Targets: event p50 ≤ 100 ms, webhook p50 ≤ 500 ms. Every model must get exactly one
 * `model.ready`.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

import { eq } from "drizzle-orm";

import { createAuth } from "@mad/api";
import { createModelsClient } from "@mad/api/client";
import {
  artifactIdForJob,
  beginIngestion,
  completeIngestion,
  createDb,
  DEMO_USERS,
  trainingJobs,
} from "@mad/db";
import { fileEntryFor, insertDataset, insertTrainingJob } from "@mad/db/testing";
import { startStack } from "@mad/dev-stack";
import { calculateQualityMetrics, explainQuality } from "@mad/quality";
import { verifyWebhook, webhookPayloadSchema } from "@mad/webhooks";

import { benchStackOptions } from "../e2e/support/stacks";

const JOBS = Number(process.env.BENCH_EVENT_JOBS ?? 200);
// Models stored before the measured ones (not counted): the first delivery opens connections
// and compiles the worker's path.
const WARMUP_JOBS = 5;
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const [ada] = DEMO_USERS;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// A real score (not "Not rated"), so the payload carries real reasons.
const QUALITY = calculateQualityMetrics(
  [2.4, 2.0, 1.6, 1.3, 1.1, 1.0].map((loss, i) => ({
    training_loss: loss,
    validation_loss: i === 5 ? 1.2 : null,
  })),
);
const REASONS = JSON.stringify(explainQuality(QUALITY));

/**
 * A webhook receiver on loopback, as a user's service would write it: read the body, verify the
 * signature with `verifyWebhook`, then act (here: note the time per model). Anything it cannot
 * verify or parse is counted as a failure and answered 400.
 */
async function startReceiver() {
  let secret: string | null = null;
  const received = new Map<string, { at: number; count: number }>();
  const failures: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        if (!secret) throw new Error("a delivery before the endpoint was registered");
        const body = Buffer.concat(chunks).toString("utf8");
        const payload = webhookPayloadSchema.parse(verifyWebhook(secret, req.headers, body));
        const at = performance.now();
        if (payload.type !== "model.ready") throw new Error(`unexpected ${payload.type}`);
        if (JSON.stringify(payload.data.model.verdict?.reasons) !== REASONS) {
          throw new Error(`reasons missing or not explainQuality's: ${body}`);
        }
        const seen = received.get(payload.data.model.id);
        received.set(payload.data.model.id, { at: seen?.at ?? at, count: (seen?.count ?? 0) + 1 });
        res.statusCode = 204;
      } catch (error) {
        failures.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
        res.statusCode = 400;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mad`,
    received,
    failures,
    useSecret: (value: string) => (secret = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main() {
  // The receiver is on loopback over http: both the web (registration) and the ingester
  // (delivery) must allow it, as an internal deployment would.
  const internalReceivers = { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "true" };
  const stack = await startStack({
    ...benchStackOptions({
      reuseBuild: process.env.BENCH_SKIP_BUILD === "1",
      webEnv: { WEB_CONCURRENCY: "1", LOG_LEVEL: "warn", ...internalReceivers },
    }),
    // The real ingester runs (its webhook worker delivers); no rows are needed beforehand.
    seed: "none",
    ingesterEnv: { LOG_LEVEL: "warn", ...internalReceivers },
  });
  const client = createDb(stack.databaseUrl, { max: 2, applicationName: "mad-bench-events" });
  const receiver = await startReceiver();
  try {
    const token = await createAuth({ jwtSecret: stack.secrets.AUTH_JWT_SECRET }).mintAccessToken(
      ada.id,
      { expiresInSeconds: 86_400 },
    );
    const api = createModelsClient({ baseUrl: stack.webUrl, token });
    const dataset = await insertDataset(client.db, { userId: ada.id, name: "Events bench" });
    const endpoint = await api.webhooks.create.mutate({
      url: receiver.url,
      description: "events bench",
      eventTypes: ["model.ready"],
    });
    receiver.useSecret(endpoint.secret);

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

    /** Completes one training job and stores its model; resolves with the send/commit times. */
    const storeOne = async () => {
      // Running first: completing it inside the measured transaction is what fires the real
      // triggers (ingestion job, outbox), and the ingester then finds the model already stored.
      const job = await insertTrainingJob(client.db, {
        userId: ada.id,
        datasetId: dataset.id,
        status: "running",
        externalJobId: `bench-${randomUUID()}`,
      });
      const artifactId = artifactIdForJob(job.id);
      const sent = performance.now();
      await client.db.transaction(async (tx) => {
        await tx
          .update(trainingJobs)
          .set({ status: "completed", completedAt: new Date() })
          .where(eq(trainingJobs.id, job.id));
        await beginIngestion(tx, job.id);
        await completeIngestion(
          tx,
          { artifactId, jobId: job.id },
          {
            quality: QUALITY,
            summary: {
              epochs_completed: 1,
              total_steps: 10,
              final_loss: QUALITY.final_training_loss,
              training_duration_hours: 0.1,
              total_cost: 1,
            },
            modelMetadata: { base_model: "m", adapter_type: "lora" },
            files: [fileEntryFor(ada.id, artifactId, "adapter_config.json", "{}")],
          },
        );
      });
      return { artifactId, sent, committed: performance.now() };
    };
    const until = async (done: () => boolean, what: string, deadline: number) => {
      while (!done()) {
        if (performance.now() > deadline) throw new Error(`no ${what} within 10 s`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    for (let i = 0; i < WARMUP_JOBS; i++) {
      const { artifactId, committed } = await storeOne();
      await until(() => receiver.received.has(artifactId), "warm-up webhook", committed + 10_000);
    }

    const fromCommitted: number[] = [];
    const fromSent: number[] = [];
    const hookFromCommitted: number[] = [];
    const hookFromSent: number[] = [];
    const measured: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      const { artifactId, sent, committed } = await storeOne();
      measured.push(artifactId);
      // One model at a time: both paths see an idle system, as a single completion would.
      const deadline = committed + 10_000;
      await until(() => heard.has(artifactId), `"stored" event for ${artifactId}`, deadline);
      await until(
        () => receiver.received.has(artifactId),
        `model.ready webhook for ${artifactId}`,
        deadline,
      );
      const at = heard.get(artifactId)!;
      const hookAt = receiver.received.get(artifactId)!.at;
      // Heard at `at`; the commit happened somewhere between `sent` and `committed` (the event
      // can arrive before the COMMIT's answer does): both bounds are reported.
      fromCommitted.push(Math.max(0, at - committed));
      fromSent.push(at - sent);
      hookFromCommitted.push(Math.max(0, hookAt - committed));
      hookFromSent.push(hookAt - sent);
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

    // A late duplicate would arrive after its model was counted: give the worker a moment.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const counts = measured.map((id) => receiver.received.get(id)?.count ?? 0);
    const once = counts.filter((count) => count === 1).length;
    const h50 = percentile(hookFromSent, 50);
    const h99 = percentile(hookFromSent, 99);
    say(
      `${JOBS} models stored → signed model.ready at a loopback receiver (webhooks.create endpoint, verifyWebhook)`,
    );
    say(
      `  webhook latency p50 ${h50.toFixed(1)} ms  p99 ${h99.toFixed(1)} ms  from sending the completing transaction (target p50 ≤ 500 ms)`,
    );
    say(
      `                  p50 ${percentile(hookFromCommitted, 50).toFixed(1)} ms  p99 ${percentile(hookFromCommitted, 99).toFixed(1)} ms  from its COMMIT's answer (a lower bound)`,
    );
    say(
      `  ratio webhook / round trip: p50 ${(h50 / base50).toFixed(2)}×  p99 ${(h99 / base99).toFixed(2)}×;  webhook / event: p50 ${(h50 / p50).toFixed(2)}×`,
    );
    say(
      `  exactly once: ${once}/${JOBS} models got one model.ready (${counts.reduce((a, b) => a + b, 0)} deliveries), every signature verified, reasons = explainQuality's; ${receiver.failures.length} refused`,
    );
    if (once !== JOBS || receiver.failures.length > 0) {
      throw new Error(
        `webhook deliveries were not exactly once and valid: ${receiver.failures.slice(0, 3).join("; ")}`,
      );
    }
  } finally {
    await receiver.close();
    await client.close();
    await stack.stop();
  }
}

await main();
