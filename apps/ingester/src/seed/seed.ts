/**
 * `pnpm --filter @mad/ingester seed`: demo data for the dashboard. Datasets and training jobs for
 * the demo users (Ada: many, Grace: a few, Linus: none), with loss curves of every quality class.
 * Jobs are inserted `running` and then completed with an UPDATE, so the real pipeline (trigger →
 * pg-boss → ingester → GPU cluster) makes their artifacts: run the simulator and the ingester.
 *
 * Idempotent: ids are fixed, rows are inserted with ON CONFLICT DO NOTHING and only still-running
 * demo jobs are completed, so a second run adds nothing.
 *
 * With the simulator reachable at GPU_CLUSTER_API_URL, each job's files are registered there
 * (rank, base model, size), and one of Ada's jobs is registered with a `wrong_checksum` fault on its
 * first listing — a corrupt copy on the cluster, which a user can meet — so the dashboard shows a
 * failed card whose "Retry" succeeds.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { and, eq, inArray } from "drizzle-orm";
import { v5 as uuidV5 } from "uuid";

import { createDb, datasets, DEMO_USERS, resolveDatabase, type Sql, trainingJobs } from "@mad/db";
import { insertMetricsPoints, lossCurve, type LossCurveKind } from "@mad/db/factories";

import { readSeedEnv } from "../env";
import { INGEST_QUEUE, PGBOSS_SCHEMA } from "../queue/worker";

const SEED_NAMESPACE = "0e6a3c4f-2b7d-4f1a-9c58-7d2e1b0a4c63";
const seedId = (name: string) => uuidV5(name, SEED_NAMESPACE);

interface DemoJob {
  key: string;
  dataset: string;
  curve: LossCurveKind;
  preset: string;
  rank: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  gpu: { type: string; count: number };
  cost: number;
  daysAgo: number;
  hours: number;
  baseModel: string;
  /** A fault the simulator should inject for this job. */
  fault?: "wrong_checksum" | undefined;
  /** Adapter variants, so the demo shows every serving verdict (vLLM refuses both). */
  useDora: boolean;
  modulesToSave: string[];
}

const ADA_DATASETS = [
  "Support tickets v3",
  "Legal clauses",
  "Product FAQ",
  "Code review comments",
  "Medical notes (synthetic)",
];
const GRACE_DATASETS = ["COBOL migration pairs", "Compiler error explanations"];
const CURVES: LossCurveKind[] = [
  "excellent",
  "good",
  "fair",
  "poor",
  "diverged",
  "overfit",
  "unrated",
];
const PRESETS = ["balanced", "fast", "high-quality", "long-context"];
const GPUS = [
  { type: "A100-80GB", count: 2 },
  { type: "H100-80GB", count: 1 },
  { type: "L40S", count: 4 },
  { type: "A10G", count: 1 },
  { type: "H100-80GB", count: 8 },
];
const BASE_MODELS = [
  "meta-llama/Llama-3.1-8B",
  "mistralai/Mistral-7B-v0.3",
  "Qwen/Qwen2.5-7B",
  "google/gemma-2-9b",
];

/** The demo's variety: the n-th option, cycling through the list. */
function cycle<T>(options: readonly T[], n: number): T {
  const option = options[n % options.length];
  if (option === undefined) throw new RangeError("the seed's option lists are never empty");
  return option;
}

function demoJobs(user: string, datasetNames: string[], count: number, offset: number): DemoJob[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    return {
      key: `${user}-${String(i + 1).padStart(2, "0")}`,
      dataset: cycle(datasetNames, i),
      curve: cycle(CURVES, n),
      preset: cycle(PRESETS, n),
      // 64 and 256 need vLLM's --max-lora-rank raised; 8 and 16 load with its default.
      rank: cycle([8, 16, 64, 256], n),
      learningRate: cycle([1e-4, 2e-4, 3e-4, 5e-5], n * 3),
      batchSize: cycle([4, 8, 16], n),
      epochs: cycle([2, 3, 4, 5], n + 1),
      gpu: cycle(GPUS, n),
      cost: Math.round((4 + ((n * 37) % 90) + (n % 7) * 0.37) * 100) / 100,
      daysAgo: 2 + ((n * 5) % 58),
      hours: 0.5 + ((n * 7) % 30) / 4,
      baseModel: cycle(BASE_MODELS, n),
      useDora: n % 5 === 3,
      modulesToSave: n % 6 === 4 ? ["lm_head"] : [],
    };
  });
}

async function registerWithSimulator(
  baseUrl: string | undefined,
  externalJobId: string,
  job: DemoJob,
): Promise<boolean> {
  if (!baseUrl) return false;
  try {
    const response = await fetch(
      new URL(`/_control/jobs/${encodeURIComponent(externalJobId)}`, baseUrl),
      {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          rank: job.rank,
          baseModel: job.baseModel,
          useDora: job.useDora,
          modulesToSave: job.modulesToSave,
          adapterSizeBytes: job.rank * 64 * 1024,
          ...(job.fault ? { fault: job.fault, faultCount: 1 } : {}),
        }),
        signal: AbortSignal.timeout(2_000),
      },
    );
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Completing a job while pg-boss is installed but the ingester has not created its queue yet
 * (it is starting up) makes the trigger refuse the completion. Wait for the queue rather than
 * fail; without pg-boss at all, completions are left to the ingester's start-up sweep.
 */
async function waitForIngestionQueue(sql: Sql, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [state] = await sql<{ installed: boolean }[]>`
      select to_regclass(${`${PGBOSS_SCHEMA}.queue`}) is not null as installed`;
    if (!state?.installed) return;
    const queue = await sql.unsafe(`select 1 from ${PGBOSS_SCHEMA}.queue where name = $1`, [
      INGEST_QUEUE,
    ]);
    if (queue.length > 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the ingester's queue "${INGEST_QUEUE}" does not exist: start the ingester (it creates it), then run the seed again`,
      );
    }
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const database = await resolveDatabase();
  const { db, sql, close } = createDb(database.url, { max: 2, applicationName: "mad-seed" });
  const simulatorUrl = readSeedEnv().GPU_CLUSTER_API_URL;
  try {
    const [ada, grace] = DEMO_USERS;
    const adaJobs = demoJobs("ada", ADA_DATASETS, 14, 0);
    // One of Ada's jobs fails for good on the cluster: the dashboard's failed card.
    cycle(adaJobs, 5).fault = "wrong_checksum";
    const plan = [
      { user: ada, datasetNames: ADA_DATASETS, jobs: adaJobs },
      { user: grace, datasetNames: GRACE_DATASETS, jobs: demoJobs("grace", GRACE_DATASETS, 4, 3) },
    ];

    let inserted = 0;
    let simulatorRegistrations = 0;
    for (const { user, datasetNames, jobs } of plan) {
      await db
        .insert(datasets)
        .values(
          datasetNames.map((name, i) => ({
            id: seedId(`${user.id}/dataset/${name}`),
            userId: user.id,
            name,
            format: i % 2 === 0 ? "jsonl" : "csv",
            totalTrainingPairs: 1_000 + ((i * 7919) % 40_000),
            createdAt: new Date(Date.now() - (70 - i) * 86_400_000),
          })),
        )
        .onConflictDoNothing();

      for (const job of jobs) {
        const id = seedId(`job/${job.key}`);
        const externalJobId = `demo-${job.key}`;
        // A demo fault hits only the completion this run makes: a model that was already
        // ingested (or failed) in an earlier run keeps a retry that succeeds.
        const [existing] = await db
          .select({ status: trainingJobs.status })
          .from(trainingJobs)
          .where(eq(trainingJobs.id, id));
        const stillToComplete = !existing || existing.status === "running";
        const registered = stillToComplete ? job : { ...job, fault: undefined };
        if (await registerWithSimulator(simulatorUrl, externalJobId, registered))
          simulatorRegistrations += 1;
        const completedAt = new Date(Date.now() - job.daysAgo * 86_400_000);
        const startedAt = new Date(completedAt.getTime() - job.hours * 3_600_000);
        const steps = 120 + ((job.rank * 13) % 280);
        const rows = await db
          .insert(trainingJobs)
          .values({
            id,
            userId: user.id,
            datasetId: seedId(`${user.id}/dataset/${job.dataset}`),
            presetId: job.preset,
            status: "running",
            externalJobId,
            hyperparameters: {
              learning_rate: job.learningRate,
              batch_size: job.batchSize,
              epochs: job.epochs,
              rank: job.rank,
              lora_alpha: job.rank * 2,
              warmup_steps: 10,
            },
            gpuConfig: job.gpu,
            currentEpoch: job.epochs,
            currentStep: steps,
            currentMetrics: {},
            finalCost: job.cost,
            startedAt,
            createdAt: new Date(startedAt.getTime() - 600_000),
          })
          .onConflictDoNothing()
          .returning({ id: trainingJobs.id });
        if (rows.length === 0) continue;
        inserted += 1;
        await insertMetricsPoints(
          db,
          id,
          lossCurve({
            kind: job.curve,
            steps,
            validationEvery: 20 + (job.rank % 3) * 15,
            initialLoss: 1.8 + (job.rank % 5) * 0.3,
            seed: job.rank * 31 + job.epochs,
            epochs: job.epochs,
            startedAt,
          }),
        );
      }
    }
    // Completion is what the platform does when the cluster reports a finished job: the trigger
    // enqueues each ingestion in this same statement's transaction. Every demo job still running
    // is completed — also those of an earlier run that stopped before this step.
    await waitForIngestionQueue(sql);
    await db.transaction(async (tx) => {
      for (const { jobs } of plan) {
        for (const job of jobs) {
          const id = seedId(`job/${job.key}`);
          await tx
            .update(trainingJobs)
            .set({
              status: "completed",
              completedAt: new Date(Date.now() - job.daysAgo * 86_400_000),
            })
            .where(and(eq(trainingJobs.id, id), eq(trainingJobs.status, "running")));
        }
      }
    });
    const all = await db
      .select({ id: trainingJobs.id })
      .from(trainingJobs)
      .where(
        inArray(
          trainingJobs.id,
          plan.flatMap(({ jobs }) => jobs.map((job) => seedId(`job/${job.key}`))),
        ),
      );
    process.stdout.write(
      `${JSON.stringify({
        msg: "seeded",
        database: database.source,
        new_jobs: inserted,
        demo_jobs: all.length,
        simulator_registrations: simulatorRegistrations,
        note:
          inserted > 0
            ? "jobs completed; the running ingester turns them into artifacts (or its sweep does when it starts)"
            : "nothing new: already seeded",
      })}\n`,
    );
  } finally {
    await close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
