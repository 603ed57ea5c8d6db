/**
 * Aliases of a model line (docs/decisions/0020): `production`, `staging`, … point at one stored
 * model of a user's dataset each, and every move is recorded. Every function is scoped to the
 * caller: another user's model, line or alias answers exactly like a missing one.
 */
import { and, asc, type Column, desc, eq, isNull, type SQL, sql } from "drizzle-orm";

import type { Queryable } from "./artifacts";
import { ownedLiveArtifact } from "./artifacts";
import { allOf } from "./query-helpers";
import { modelAliases, modelAliasMoves, modelArtifacts } from "./schema";

/** Lower-case letters, digits and dashes, starting with a letter; the table's check says so too. */
export const ALIAS_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** Moves listed per line (the newest); older ones stay in the table. */
const MOVES_SHOWN = 50;

/** The rows of `table` that belong to one model line: the caller's, of one dataset. */
export function inModelLine(
  table: { userId: Column; datasetId: Column },
  line: { userId: string; datasetId: string },
): SQL {
  return allOf(eq(table.userId, line.userId), eq(table.datasetId, line.datasetId));
}

export type MoveAliasResult =
  | { status: "moved"; fromArtifactId: string | null; toArtifactId: string }
  | { status: "unchanged"; toArtifactId: string }
  | { status: "not_found" }
  | { status: "not_stored" };

/**
 * Points `alias` of the model's line at the model (a live, stored model of the caller). Two
 * moves of one alias take turns on a transaction-scoped advisory lock, so the history's
 * from → to chain has no gap and the last move wins.
 */
export async function moveAlias(
  db: Queryable,
  input: { userId: string; artifactId: string; alias: string },
): Promise<MoveAliasResult> {
  return db.transaction(async (tx) => {
    const [model] = await tx
      .select({ datasetId: modelArtifacts.datasetId, status: modelArtifacts.status })
      .from(modelArtifacts)
      .where(ownedLiveArtifact(input.userId, input.artifactId))
      .for("share");
    if (!model) return { status: "not_found" as const };
    if (model.status !== "stored") return { status: "not_stored" as const };
    await lockAlias(tx, model.datasetId, input.alias);
    const [current] = await tx
      .select({ artifactId: modelAliases.artifactId })
      .from(modelAliases)
      .where(and(eq(modelAliases.datasetId, model.datasetId), eq(modelAliases.alias, input.alias)));
    if (current?.artifactId === input.artifactId) {
      return { status: "unchanged" as const, toArtifactId: input.artifactId };
    }
    await tx
      .insert(modelAliases)
      .values({
        userId: input.userId,
        datasetId: model.datasetId,
        alias: input.alias,
        artifactId: input.artifactId,
        movedAt: sql`clock_timestamp()`,
      })
      .onConflictDoUpdate({
        target: [modelAliases.datasetId, modelAliases.alias],
        set: { artifactId: input.artifactId, movedAt: sql`clock_timestamp()` },
      });
    await recordAliasMove(tx, {
      userId: input.userId,
      datasetId: model.datasetId,
      alias: input.alias,
      fromArtifactId: current?.artifactId ?? null,
      toArtifactId: input.artifactId,
    });
    return {
      status: "moved" as const,
      fromArtifactId: current?.artifactId ?? null,
      toArtifactId: input.artifactId,
    };
  });
}

/** What removeAlias did: a missing, deleted or another user's model is "no-such-model". */
export type AliasRemoval = "removed" | "no-such-model" | "not-held";

/** Takes `alias` off the model that holds it; "not-held" when the caller's model does not hold it. */
export async function removeAlias(
  db: Queryable,
  input: { userId: string; artifactId: string; alias: string },
): Promise<AliasRemoval> {
  return db.transaction(async (tx) => {
    const [model] = await tx
      .select({ datasetId: modelArtifacts.datasetId })
      .from(modelArtifacts)
      .where(ownedLiveArtifact(input.userId, input.artifactId));
    if (!model) return "no-such-model";
    await lockAlias(tx, model.datasetId, input.alias);
    const removed = await tx
      .delete(modelAliases)
      .where(
        and(
          eq(modelAliases.datasetId, model.datasetId),
          eq(modelAliases.alias, input.alias),
          eq(modelAliases.artifactId, input.artifactId),
          eq(modelAliases.userId, input.userId),
        ),
      )
      .returning({ alias: modelAliases.alias });
    if (removed.length === 0) return "not-held";
    await recordAliasMove(tx, {
      userId: input.userId,
      datasetId: model.datasetId,
      alias: input.alias,
      fromArtifactId: input.artifactId,
      toArtifactId: null,
    });
    return "removed";
  });
}

/** The caller's live model that holds `alias` in the line of `datasetId`, or null. */
export async function resolveAlias(
  db: Queryable,
  input: { userId: string; datasetId: string; alias: string },
): Promise<string | null> {
  const [row] = await db
    .select({ artifactId: modelAliases.artifactId })
    .from(modelAliases)
    .innerJoin(modelArtifacts, eq(modelArtifacts.id, modelAliases.artifactId))
    .where(
      and(
        eq(modelAliases.userId, input.userId),
        eq(modelAliases.datasetId, input.datasetId),
        eq(modelAliases.alias, input.alias),
        isNull(modelArtifacts.deletedAt),
      ),
    );
  return row?.artifactId ?? null;
}

export interface ModelLine {
  /** Alias → the id of the model holding it. */
  aliases: { alias: string; artifactId: string; movedAt: Date }[];
  /** Newest first, at most MOVES_SHOWN. */
  moves: {
    alias: string;
    fromArtifactId: string | null;
    toArtifactId: string | null;
    movedBy: string;
    movedAt: Date;
  }[];
}

/** The aliases and recent alias moves of the caller's line of `datasetId`. */
export async function modelLineAliases(
  db: Queryable,
  input: { userId: string; datasetId: string },
): Promise<ModelLine> {
  const [aliases, moves] = await Promise.all([
    db
      .select({
        alias: modelAliases.alias,
        artifactId: modelAliases.artifactId,
        movedAt: modelAliases.movedAt,
      })
      .from(modelAliases)
      .where(inModelLine(modelAliases, input))
      .orderBy(asc(modelAliases.alias)),
    db
      .select({
        alias: modelAliasMoves.alias,
        fromArtifactId: modelAliasMoves.fromArtifactId,
        toArtifactId: modelAliasMoves.toArtifactId,
        movedBy: modelAliasMoves.movedBy,
        movedAt: modelAliasMoves.movedAt,
      })
      .from(modelAliasMoves)
      .where(inModelLine(modelAliasMoves, input))
      .orderBy(desc(modelAliasMoves.movedAt), desc(modelAliasMoves.id))
      .limit(MOVES_SHOWN),
  ]);
  return { aliases, moves };
}

async function lockAlias(tx: Queryable, datasetId: string, alias: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${datasetId}:${alias}`}, 0))`,
  );
}

/** Appends a move to the line's history (a removal moves to null); only the owner moves aliases. */
async function recordAliasMove(
  tx: Queryable,
  move: {
    userId: string;
    datasetId: string;
    alias: string;
    fromArtifactId: string | null;
    toArtifactId: string | null;
  },
): Promise<void> {
  await tx.insert(modelAliasMoves).values({
    ...move,
    movedBy: move.userId,
    // The time the move took effect (after the lock), not the transaction's start: the
    // history's order is the order in which moves happened.
    movedAt: sql`clock_timestamp()`,
  });
}
