import type { ByteRange } from "./types";

/** Refuses a range that is not a non-empty span of whole bytes inside an object of `size`. */
export function assertRangeInside(range: ByteRange, size: number): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError(`invalid byte range ${start}-${end}`);
  }
  if (end >= size) {
    throw new RangeError(`byte range ${start}-${end} is outside an object of ${size} bytes`);
  }
}
