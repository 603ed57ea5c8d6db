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

export type ModelActionResult =
  DownloadLinks | { kind: "error"; title: string; message: string } | { kind: "retried" };
