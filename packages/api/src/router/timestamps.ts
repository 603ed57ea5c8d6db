/** Timestamps leave the API as ISO strings, the same over HTTP and in-process. */
export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
