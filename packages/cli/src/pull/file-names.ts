/**
 * File names come from the server: before one becomes a path on this machine it must be a
 * single, ordinary path segment (no separators, no `..`, no control characters).
 */
export function assertSafeFileName(name: string): void {
  if (
    name.length === 0 ||
    name.length > 255 ||
    name === "." ||
    name === ".." ||
    /[/\\\u0000-\u001f\u007f]/.test(name) ||
    name.endsWith(PART_SUFFIX)
  ) {
    throw new Error(`Refusing to write a file named ${JSON.stringify(name)}`);
  }
}

/** A file being downloaded is written beside its final name and renamed once verified. */
export const PART_SUFFIX = ".part";
