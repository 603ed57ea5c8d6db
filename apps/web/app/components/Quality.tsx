import { asConvergence, CONVERGENCE_CLASSES, CONVERGENCE_LABEL } from "../lib/quality";

export function Stars({ score, size = "md" }: { score: number | null; size?: "md" | "lg" }) {
  if (score === null || !Number.isInteger(score) || score < 1 || score > 5) {
    return <span className="text-sm font-medium text-slate-600">Not rated</span>;
  }
  const px = size === "lg" ? 22 : 16;
  return (
    <span
      role="img"
      aria-label={`${score} out of 5 stars`}
      className="inline-flex items-center gap-0.5"
    >
      {[1, 2, 3, 4, 5].map((n) => (
        <svg
          key={n}
          width={px}
          height={px}
          viewBox="0 0 20 20"
          aria-hidden="true"
          focusable="false"
        >
          <path
            d="M10 1.5l2.6 5.5 6 .7-4.5 4.1 1.2 5.9L10 14.8l-5.3 2.9 1.2-5.9L1.4 7.7l6-.7z"
            className={
              n <= score ? "fill-amber-500 stroke-amber-600" : "fill-slate-200 stroke-slate-400"
            }
            strokeWidth="1"
          />
        </svg>
      ))}
    </span>
  );
}

export function QualityBadge({ quality }: { quality: unknown }) {
  const convergence = asConvergence(quality);
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
