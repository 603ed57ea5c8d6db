import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

import { HorizontalScroll } from "../HorizontalScroll";
import type { ComparedModel } from "./types";

/**
 * A table with a column per compared model (metrics, configuration): its own sideways scroll on
 * a phone, a caption for screen readers, and the models' names as column headers.
 */
export function ComparisonTable({
  label,
  caption,
  firstColumn,
  models,
  linkNames = false,
  children,
}: {
  label: string;
  caption: string;
  firstColumn: string;
  models: ComparedModel[];
  /** Each name links to its model's page. */
  linkNames?: boolean;
  /** The body's rows. */
  children: ReactNode;
}) {
  return (
    <HorizontalScroll label={label}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium text-slate-600">
              {firstColumn}
            </th>
            {models.map((model) => (
              <th key={model.id} scope="col" className="py-2 pr-4 font-semibold">
                {linkNames ? (
                  <Link to={`/models/${model.id}`} className="text-indigo-700 underline">
                    {model.name}
                  </Link>
                ) : (
                  model.name
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </HorizontalScroll>
  );
}
