/** What the model page's loader and action hand to its sections. */
import type { RouterOutputs } from "@mad/api";

export type ModelDetail = RouterOutputs["models"]["byId"];
export type ModelMetrics = RouterOutputs["models"]["metrics"];
export type ModelLine = RouterOutputs["models"]["line"];

export interface DownloadLinks {
  kind: "links";
  links: { name: string; url: string }[];
  expiresAt: string;
  /**
   * "all" when the user asked for every file, "one" for one file asked for by the page's
   * script; either way the page starts the downloads itself.
   */
  scope: "all" | "one";
}

/** The link when exactly one file was signed (that one is fetched at once), else undefined. */
export function onlyLink(
  links: DownloadLinks["links"],
): DownloadLinks["links"][number] | undefined {
  return links.length === 1 ? links[0] : undefined;
}

export type ModelActionResult =
  DownloadLinks | { kind: "error"; title: string; message: string } | { kind: "retried" };
