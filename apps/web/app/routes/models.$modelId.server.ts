/**
 * The model page's server side: its id and form, what the page loads, and one function per form
 * intent. Every API error that means "no such model" becomes the same 404 page.
 */
import { data, redirect } from "@remix-run/node";
import { z } from "zod";

import { modelCardFrom } from "@mad/api";

import { type ModelActionResult, onlyLink } from "../components/model/types";
import { lossChartMarkers } from "../lib/chart-markers";
import { safeBackHref } from "../lib/list-query";
import { apiErrorCode, callApi, notFound } from "../server/api-errors.server";
import type { ServerCaller } from "../server/context.server";
import { assertSameOrigin, flashHeader, requireUser } from "../server/session.server";

/** The most loss-curve points the page asks for; the API downsamples longer histories. */
const CHART_POINTS = 600;

const modelIdSchema = z.uuid();

export function modelIdFrom(params: { modelId?: string }): string {
  const parsed = modelIdSchema.safeParse(params.modelId);
  // A malformed id is just another model that does not exist.
  if (!parsed.success) notFound();
  return parsed.data.toLowerCase();
}

/** A GET of one of the model page's form endpoints: it just goes to the model page. */
export function redirectToModelPage({ params }: { params: { modelId?: string } }) {
  return redirect(`/models/${modelIdFrom(params)}`);
}

/**
 * The start of a POST to one of the model page's form endpoints (details, aliases): same origin,
 * a signed-in user, the model id, and `back(message)` to the model page (at `anchor`) with a
 * one-time message.
 */
export async function modelFormPost(request: Request, params: { modelId?: string }, anchor = "") {
  await assertSameOrigin(request);
  const { caller } = await requireUser(request);
  const modelId = modelIdFrom(params);
  const back = async (message: string) =>
    redirect(`/models/${modelId}${anchor}`, {
      headers: { "Set-Cookie": await flashHeader(message) },
    });
  return { caller, modelId, back };
}

/** Where "Back to models" goes: the list URL the user came from, if it is one. */
function backHref(request: Request): string {
  return safeBackHref(new URL(request.url).searchParams.get("back"));
}

export async function loadModelPage(caller: ServerCaller, modelId: string, request: Request) {
  const [model, metrics, line] = await Promise.all([
    callApi(() => caller.models.byId({ modelId })),
    callApi(() => caller.models.metrics({ modelId, maxPoints: CHART_POINTS })),
    callApi(() => caller.models.line({ modelId })),
  ]);
  return {
    model,
    metrics,
    line,
    // For LossCurveSection's `markers` prop: the best step and the overfitting onset.
    lossChartMarkers: lossChartMarkers(metrics.diagnostics),
    // Made from what was just loaded: the card costs no query of its own.
    card: modelCardFrom(model, metrics.diagnostics).markdown,
    back: backHref(request),
  };
}

const modelFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("download-all") }),
  z.object({
    intent: z.literal("download"),
    file: z.string().min(1).max(255),
    // "link": answer with the signed link (the page starts the download and can say if it
    // fails); without it (no JavaScript) the answer is a redirect to the file.
    respond: z.literal("link").optional(),
  }),
  z.object({
    intent: z.literal("delete"),
    confirm: z.literal("yes", { error: "Tick the box to confirm." }),
  }),
  z.object({ intent: z.literal("retry") }),
]);

export type ModelForm = z.infer<typeof modelFormSchema>;

function answer(result: ModelActionResult, status = 200) {
  return data<ModelActionResult>(result, { status });
}

function refusal(title: string, message: string, status: number) {
  return answer({ kind: "error", title, message }, status);
}

/** The posted form, or the 400 answer that says what is wrong with it (nothing is changed). */
export async function readModelForm(
  request: Request,
): Promise<{ ok: true; form: ModelForm } | { ok: false; refusal: ReturnType<typeof answer> }> {
  const parsed = modelFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (parsed.success) return { ok: true, form: parsed.data };
  return {
    ok: false,
    refusal: refusal(
      "Nothing was changed",
      parsed.error.issues[0]?.message ?? "That form was not understood.",
      400,
    ),
  };
}

/** The model an intent acts on, as whom, and the request it came with. */
export interface ModelTarget {
  caller: ServerCaller;
  modelId: string;
  request: Request;
}

function failureMessage(error: unknown, fallback: string): string {
  const code = apiErrorCode(error);
  if ((code === "PRECONDITION_FAILED" || code === "BAD_REQUEST") && error instanceof Error)
    return error.message;
  return fallback;
}

/** Deletes the model and its files, then goes back to the list with a one-time message. */
export async function deleteModel({ caller, modelId, request }: ModelTarget) {
  const back = backHref(request);
  const { name } = await callApi(() => caller.models.byId({ modelId }));
  await callApi(() => caller.models.delete({ modelId }));
  return redirect(back, {
    headers: { "Set-Cookie": await flashHeader(`Deleted “${name}” and its files.`) },
  });
}

/** Sends a failed ingestion back to the queue; says why when it cannot. */
export async function retryIngestion({ caller, modelId }: ModelTarget) {
  try {
    await caller.models.retryIngestion({ modelId });
    return answer({ kind: "retried" });
  } catch (error) {
    if (apiErrorCode(error) === "NOT_FOUND") notFound();
    return refusal(
      "Retry failed",
      failureMessage(error, "The ingestion could not be restarted. Please try again."),
      409,
    );
  }
}

/**
 * Signs download links: for one file a redirect straight to its signed URL (the browser saves
 * it and stays on the page) unless `asLink`, for every file (`files` undefined) the list of links.
 */
export async function signDownloads(
  { caller, modelId }: ModelTarget,
  files?: string[],
  options: { asLink?: boolean } = {},
) {
  let signed;
  try {
    signed = await caller.models.download({ modelId, files });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") notFound();
    return refusal(
      "Download failed",
      failureMessage(
        error,
        "We could not create download links right now (the storage service did not answer). Nothing was downloaded; please try again in a minute.",
      ),
      code === "BAD_REQUEST" ? 400 : code === "PRECONDITION_FAILED" ? 409 : 502,
    );
  }
  const links = Object.entries(signed.download_urls).map(([name, url]) => ({ name, url }));
  const single = onlyLink(links);
  if (files && single && !options.asLink) return redirect(single.url);
  const expiresAt = new Date(Date.now() + signed.expires_in_seconds * 1000).toISOString();
  return answer({ kind: "links", links, expiresAt, scope: files ? "one" : "all" });
}
