/**
 * The compare page's server side: the selection from the URL (`?ids=…&ids=…`, so a comparison is
 * a link anyone with the models can open, and the list's GET form makes it without JavaScript),
 * the alignment, and the one API call. A bad selection is a 400 page that says what is wrong; an
 * id that is malformed, unknown or someone else's is the same 404 as a missing model.
 */
import { z } from "zod";

import {
  COMPARE_MAX_MODELS as COMPARE_MAX,
  COMPARE_MIN_MODELS as COMPARE_MIN,
} from "@mad/api/limits";

import type { Alignment } from "../lib/compare-series";
import { badRequest, callApi, notFound } from "../server/api-errors.server";
import type { ServerCaller } from "../server/context.server";

/** Points per model: four overlaid curves of 300 points fill the chart's 760 px. */
const CHART_POINTS = 300;

export interface CompareSelection {
  ids: string[];
  align: Alignment;
}

const uuid = z.uuid();

/** The selection in the URL, or the 400/404 answer thrown for it. */
export function compareSelectionFrom(request: Request): CompareSelection {
  const params = new URL(request.url).searchParams;
  const raw = params.getAll("ids").filter((id) => id.trim() !== "");
  if (raw.length < COMPARE_MIN)
    badRequest(`Choose at least ${COMPARE_MIN} models to compare (you chose ${raw.length}).`);
  if (raw.length > COMPARE_MAX)
    badRequest(`Choose at most ${COMPARE_MAX} models to compare (you chose ${raw.length}).`);
  // A malformed id is just another model that does not exist, as on the model page.
  const ids = raw.map((id) => {
    const parsed = uuid.safeParse(id.trim());
    if (!parsed.success) notFound();
    return parsed.data.toLowerCase();
  });
  if (new Set(ids).size !== ids.length) badRequest("Choose each model only once.");
  return { ids, align: params.get("align") === "epoch" ? "epoch" : "step" };
}

export async function loadComparePage(caller: ServerCaller, request: Request) {
  const selection = compareSelectionFrom(request);
  const comparison = await callApi(() =>
    caller.models.compare({ modelIds: selection.ids, maxPoints: CHART_POINTS }),
  );
  return { ...comparison, align: selection.align, ids: selection.ids };
}
