/**
 * 2–4 models side by side: their loss curves on one chart, their metrics and their
 * configuration diff. The selection lives in
 * the URL (`?ids=…`), so the page is server-rendered and readable without JavaScript. Server
 * logic in ./models.compare.server.ts, each section in components/compare/.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteError } from "@remix-run/react";

import { CompareCurvesSection } from "../components/compare/CompareCurvesSection";
import { CompareMetricsSection } from "../components/compare/CompareMetricsSection";
import { ConfigurationDiffSection } from "../components/compare/ConfigurationDiffSection";
import { ErrorPage } from "../components/ErrorPage";
import { requireUser } from "../server/session.server";
import { loadComparePage } from "./models.compare.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Compare ${data.models.map((m) => m.name).join(", ")} · Models`
      : "Compare models · Model Artifacts & Delivery",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { caller } = await requireUser(request);
  return loadComparePage(caller, request);
}

export default function ComparePage() {
  const { models, configuration_diff, ids, align } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <Link to="/models" className="text-sm text-indigo-700 underline">
          Back to models
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">Compare {models.length} models</h1>
      </div>
      <CompareCurvesSection models={models} ids={ids} align={align} />
      <CompareMetricsSection models={models} />
      <ConfigurationDiffSection models={models} rows={configuration_diff} />
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage error={useRouteError()} />;
}
