import { formatTimeUtc } from "../../lib/format";
import { type ModelActionResult, onlyLink } from "./types";

/** The answer to a download form: the signed links and when they expire, or what went wrong. */
export function DownloadPanel({
  result,
  autoStarted,
}: {
  result: ModelActionResult | undefined;
  autoStarted: boolean;
}) {
  if (!result || result.kind === "retried") return null;
  if (result.kind === "error") {
    return (
      <div
        role="alert"
        className="mb-4 rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
        data-testid="download-error"
      >
        <p className="font-semibold">{result.title}</p>
        <p className="mt-1">{result.message}</p>
      </div>
    );
  }
  const single = onlyLink(result.links);
  return (
    <div
      role="status"
      className="mb-4 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950"
      data-testid="download-links"
    >
      <p className="font-semibold">
        {!autoStarted
          ? "Your download links are ready."
          : single
            ? `Your download of ${single.name} is starting.`
            : "Your downloads are starting."}{" "}
        {single ? "Link" : "Links"} valid for 1 hour, expire at {formatTimeUtc(result.expiresAt)}.
      </p>
      <p className="mt-1">
        {autoStarted
          ? single
            ? "If it did not start, use its link:"
            : "If a file did not start, use its link:"
          : "Save each file:"}
      </p>
      <ul className="mt-2 space-y-1">
        {result.links.map((link) => (
          <li key={link.name}>
            <a href={link.url} download={link.name} className="link text-emerald-900 underline">
              {link.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
