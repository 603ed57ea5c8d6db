import { asConvergenceQuality } from "@mad/quality";

import { CONVERGENCE_CLASSES, CONVERGENCE_LABEL } from "../lib/quality";

// One star in a 20 × 20 box, drawn from its top point with relative moves so it can be repeated.
const STAR_OUTLINE = "l2.6 5.5 6 .7-4.5 4.1 1.2 5.9-5.3-2.9-5.3 2.9 1.2-5.9-4.5-4.1 6-.7z";
const STAR_GAP_PX = 2;

const starsPaths = new Map<string, string>();

/** The path of stars `from`…`to` (1-based) in a row drawn `stride` units apart. */
function starsPath(from: number, to: number, stride: number): string {
  const key = `${from} ${to} ${stride}`;
  let d = starsPaths.get(key);
  if (d === undefined) {
    d = "";
    for (let n = from; n <= to; n++)
      d += `M${+(10 + (n - 1) * stride).toFixed(3)} 1.5${STAR_OUTLINE}`;
    starsPaths.set(key, d);
  }
  return d;
}

/**
 * Five stars as one SVG of two paths (filled, empty) rather than five SVGs: the list renders a
 * row per card, and this is a fifth of its elements and HTML bytes.
 */
export function Stars({ score, size = "md" }: { score: number | null; size?: "md" | "lg" }) {
  if (score === null || !Number.isInteger(score) || score < 1 || score > 5) {
    return <span className="text-sm font-medium text-slate-600">Not rated</span>;
  }
  const px = size === "lg" ? 22 : 16;
  // The gap between stars is STAR_GAP_PX on screen, whatever the star size.
  const stride = 20 + (STAR_GAP_PX * 20) / px;
  const width = 5 * px + 4 * STAR_GAP_PX;
  return (
    <span role="img" aria-label={`${score} out of 5 stars`} className="inline-flex items-center">
      <svg
        width={width}
        height={px}
        viewBox={`0 0 ${+(20 + 4 * stride).toFixed(3)} 20`}
        aria-hidden="true"
        focusable="false"
      >
        <path
          d={starsPath(1, score, stride)}
          className="fill-amber-500 stroke-amber-600"
          strokeWidth="1"
        />
        {score < 5 && (
          <path
            d={starsPath(score + 1, 5, stride)}
            className="fill-slate-200 stroke-slate-400"
            strokeWidth="1"
          />
        )}
      </svg>
    </span>
  );
}

export function QualityBadge({ quality }: { quality: unknown }) {
  const convergence = asConvergenceQuality(quality);
  return (
    <span
      className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${CONVERGENCE_CLASSES[convergence]}`}
    >
      <span className="sr-only">Convergence: </span>
      {CONVERGENCE_LABEL[convergence]}
    </span>
  );
}

export function StatusBadge({ status }: { status: "processing" | "stored" | "failed" }) {
  if (status === "stored") return null;
  const classes =
    status === "processing"
      ? "bg-indigo-100 text-indigo-900 ring-indigo-300"
      : "bg-red-100 text-red-900 ring-red-300";
  return (
    <span
      className={`inline-flex shrink-0 items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${classes}`}
    >
      {status === "processing" ? "Processing" : "Failed"}
    </span>
  );
}
