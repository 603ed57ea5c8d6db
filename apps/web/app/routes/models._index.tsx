import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

import { CompareSelectionForm, useCompareSelection } from "../components/CompareSelection";
import { ModelCard, toCardModel } from "../components/ModelCard";
import { pluralize } from "../lib/format";
import { listHref, type ListQuery, parseListQuery, SORT_OPTIONS } from "../lib/list-query";
import { useHydrated } from "../lib/use-hydrated";
import { useLiveRevalidation } from "../lib/use-live-revalidation";
import { callApi } from "../server/api-errors.server";
import { requireUser } from "../server/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.query.q ? `“${data.query.q}” · Models` : "Models · Model Artifacts & Delivery" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { caller, context } = await requireUser(request);
  const parsed = parseListQuery(new URL(request.url).searchParams);
  if (!parsed.ok)
    throw data({ message: parsed.message }, { status: 400, statusText: "Bad Request" });
  const { query } = parsed;
  const result = await callApi(() =>
    caller.models.list({
      page: query.page,
      limit: query.limit,
      sort: query.sort === "quality" ? "quality" : "created_at",
      q: query.q || undefined,
    }),
  );
  return {
    query,
    models: result.models.map(toCardModel),
    pagination: result.pagination,
    platformUrl: context.env.PLATFORM_URL ?? null,
  };
}

function Pagination({ query, totalPages }: { query: ListQuery; totalPages: number }) {
  if (totalPages <= 1 && query.page === 1) return null;
  const pages: number[] = [];
  for (let p = Math.max(1, query.page - 2); p <= Math.min(totalPages, query.page + 2); p++)
    pages.push(p);
  const linkClass =
    "rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-inset ring-slate-300 hover:bg-slate-100";
  return (
    <nav aria-label="Pagination" className="mt-8 flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-700">
        Page {query.page} of {Math.max(totalPages, 1)}
      </p>
      <ul className="flex items-center gap-1">
        <li>
          {query.page > 1 ? (
            <Link
              to={listHref({ ...query, page: Math.min(query.page - 1, Math.max(totalPages, 1)) })}
              className={`${linkClass} bg-white`}
              rel="prev"
            >
              ← Previous
            </Link>
          ) : (
            <span className={`${linkClass} cursor-not-allowed text-slate-500`} aria-disabled="true">
              ← Previous
            </span>
          )}
        </li>
        {pages.map((p) => (
          <li key={p}>
            {p === query.page ? (
              <span
                aria-current="page"
                className={`${linkClass} bg-indigo-700 text-white ring-indigo-700`}
              >
                {p}
              </span>
            ) : (
              <Link
                to={listHref({ ...query, page: p })}
                className={`${linkClass} bg-white`}
                aria-label={`Page ${p}`}
              >
                {p}
              </Link>
            )}
          </li>
        ))}
        <li>
          {query.page < totalPages ? (
            <Link
              to={listHref({ ...query, page: query.page + 1 })}
              className={`${linkClass} bg-white`}
              rel="next"
            >
              Next →
            </Link>
          ) : (
            <span className={`${linkClass} cursor-not-allowed text-slate-500`} aria-disabled="true">
              Next →
            </span>
          )}
        </li>
      </ul>
    </nav>
  );
}

function EmptyState({ platformUrl }: { platformUrl: string | null }) {
  return (
    <div className="card mx-auto mt-4 max-w-2xl p-10 text-center" data-testid="empty-state">
      <svg className="mx-auto" width="56" height="56" viewBox="0 0 24 24" aria-hidden="true">
        <path
          d="M12 2 3 7v10l9 5 9-5V7l-9-5Zm0 2.3 6.6 3.7L12 11.7 5.4 8 12 4.3ZM5 9.7l6 3.4v6.6l-6-3.4V9.7Zm8 10v-6.6l6-3.4v6.6l-6 3.4Z"
          className="fill-indigo-600"
        />
      </svg>
      <h2 className="mt-4 text-xl font-semibold text-slate-900">No models yet</h2>
      <p className="mx-auto mt-2 max-w-md text-slate-700">
        When a fine-tuning job finishes, its LoRA adapter appears here — scored from its loss curve,
        stored privately, and ready to download.
      </p>
      <ol className="mx-auto mt-6 max-w-sm space-y-2 text-left text-sm text-slate-700">
        <li>
          <span className="font-semibold text-slate-900">1.</span> Upload a dataset of training
          pairs.
        </li>
        <li>
          <span className="font-semibold text-slate-900">2.</span> Start a training job with a
          preset.
        </li>
        <li>
          <span className="font-semibold text-slate-900">3.</span> We notify you when the model is
          ready.
        </li>
      </ol>
      {platformUrl && (
        <a href={platformUrl} className="btn-primary mt-8" data-testid="start-training">
          Start a training job
        </a>
      )}
    </div>
  );
}

export default function ModelsPage() {
  const { query, models, pagination, platformUrl } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const choosingByKeyboard = useRef(false);
  // Follows the URL (back, links) and the user's choice before it is applied.
  const [sort, setSort] = useState(query.sort);
  useEffect(() => setSort(query.sort), [query.sort]);
  const loadingList = navigation.state === "loading" && navigation.location.pathname === "/models";
  const searching = loadingList && new URLSearchParams(navigation.location.search).has("q");
  const back = listHref(query);
  const noModelsAtAll = pagination.total === 0 && !query.q;
  useLiveRevalidation({ active: models.some((model) => model.status === "processing") });
  const hydrated = useHydrated();
  const comparing = useCompareSelection(back);
  // Comparing needs two models; the selection is of this page's cards.
  const offerCompare = pagination.total >= 2 && models.length > 0;

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">Your models</h1>
          <p
            className={`mt-1 text-sm text-slate-700 ${noModelsAtAll ? "sr-only" : ""}`}
            aria-live="polite"
          >
            {query.q
              ? `${pluralize(pagination.total, "model")} matching “${query.q}”`
              : pluralize(pagination.total, "model")}
          </p>
        </div>
      </div>

      {!noModelsAtAll && (
        <Form
          ref={formRef}
          method="get"
          action="/models"
          role="search"
          className="mt-6 flex flex-wrap items-end gap-3"
          aria-label="Find models"
        >
          <div className="min-w-56 flex-1">
            <label htmlFor="q" className="mb-1 block text-sm font-medium text-slate-800">
              Search
            </label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={query.q}
              key={query.q}
              maxLength={100}
              placeholder="Model or dataset name"
              className="input"
            />
          </div>
          <div>
            <label htmlFor="sort" className="mb-1 block text-sm font-medium text-slate-800">
              Sort by
            </label>
            <select
              id="sort"
              name="sort"
              // Controlled, not re-mounted per URL: a keyboard user's focus stays on it.
              value={sort}
              className="input pr-8"
              // A pointer choice applies at once; arrow keys only move the choice (every key
              // press would otherwise load a new list), and Enter or "Apply" applies it.
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault();
                  submit(formRef.current);
                } else {
                  choosingByKeyboard.current = true;
                }
              }}
              onPointerDown={() => {
                choosingByKeyboard.current = false;
              }}
              onChange={(event) => {
                // No DOM lib here (app/lib/browser.ts): the select's value, typed by hand.
                const chosen = (event.currentTarget as unknown as { value: string }).value;
                setSort(chosen === "quality" ? "quality" : "recent");
                if (!choosingByKeyboard.current) submit(formRef.current);
              }}
            >
              {SORT_OPTIONS.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          {query.limit !== 12 && <input type="hidden" name="limit" value={query.limit} />}
          <button type="submit" className="btn-primary">
            {searching ? "Searching…" : "Apply"}
          </button>
          {query.q && (
            <Link to={listHref({ ...query, q: "", page: 1 })} className="btn-secondary">
              Clear search
            </Link>
          )}
        </Form>
      )}

      {offerCompare && (
        <div className="mt-4">
          <CompareSelectionForm count={comparing.selected.size} hydrated={hydrated} />
        </div>
      )}

      <div
        aria-busy={loadingList}
        className={`mt-6 transition-opacity ${loadingList ? "opacity-50" : ""}`}
        data-testid="model-grid"
      >
        {noModelsAtAll ? (
          <EmptyState platformUrl={platformUrl} />
        ) : models.length === 0 ? (
          <div className="card p-10 text-center" data-testid="no-results">
            <h2 className="text-lg font-semibold text-slate-900">
              {query.q ? `No models match “${query.q}”` : "No models on this page"}
            </h2>
            <p className="mt-2 text-slate-700">
              {query.q
                ? "Search looks at model and dataset names. Check the spelling or try a shorter word."
                : `You have ${pluralize(pagination.total, "model")}; this page is past the end of the list.`}
            </p>
            <Link
              to={
                query.q ? listHref({ ...query, q: "", page: 1 }) : listHref({ ...query, page: 1 })
              }
              className="btn-secondary mt-6"
            >
              {query.q ? "Show all models" : "Go to the first page"}
            </Link>
          </div>
        ) : (
          <ul className="grid grid-cols-1 gap-5 sm:grid-cols-2 lg:grid-cols-3">
            {models.map((model) => (
              <ModelCard
                key={model.id}
                model={model}
                back={back}
                onCompareToggle={offerCompare ? comparing.toggle : undefined}
              />
            ))}
          </ul>
        )}
      </div>

      {models.length > 0 && <Pagination query={query} totalPages={pagination.totalPages} />}
    </div>
  );
}
