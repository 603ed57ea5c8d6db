/**
 * Formatting shared by server and browser. Fixed locale and UTC so the server's HTML and the
 * hydrated page agree byte for byte.
 */
const dateFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
const currencyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

const MONTHS_SHORT = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/**
 * "Nov 23, 2026": the text of `dateFormat` (lib.test.ts holds them equal), built by hand for
 * four-digit years because Intl's format() was the list page's costliest function of our own.
 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  const year = date.getUTCFullYear();
  if (year < 1000 || year > 9999) return dateFormat.format(date);
  return `${MONTHS_SHORT[date.getUTCMonth()]} ${date.getUTCDate()}, ${year}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : `${dateTimeFormat.format(date)} UTC`;
}

/** "14:05 UTC" */
export function formatTimeUtc(iso: string): string {
  return `${timeFormat.format(new Date(iso))} UTC`;
}

// Costs repeat across renders (every card, every poll); Intl's format() is not cheap.
const costTexts = new Map<number, string>();
const COST_TEXTS_MAX = 1_000;

export function formatCost(value: number | null | undefined): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  // A Map key cannot tell -0 from 0, and Intl writes them differently.
  if (value === 0) return currencyFormat.format(value);
  let text = costTexts.get(value);
  if (text === undefined) {
    if (costTexts.size >= COST_TEXTS_MAX) costTexts.clear();
    text = currencyFormat.format(value);
    costTexts.set(value, text);
  }
  return text;
}

export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}

export function formatInteger(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value)
    ? Math.round(value).toLocaleString("en-US")
    : "—";
}

export function formatPercent(value: number | null | undefined): string {
  return typeof value === "number" && Number.isFinite(value) ? `${value.toFixed(1)} %` : "—";
}

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** Binary sizes with decimal-style labels users know from file managers: 1.5 GB, 742 KB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatDuration(hours: number | null | undefined): string {
  if (typeof hours !== "number" || !Number.isFinite(hours) || hours < 0) return "—";
  const totalMinutes = Math.round(hours * 60);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  // Small whole counts need no grouping separator, and so no Intl call.
  const countText =
    Number.isInteger(count) && count >= 0 && count < 1000
      ? String(count)
      : count.toLocaleString("en-US");
  return `${countText} ${count === 1 ? one : many}`;
}
