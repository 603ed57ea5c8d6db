/**
 * A SHA256SUMS file as `sha256sum -c` reads it: `<hex>  <name>` per line (two spaces: binary
 * and text mode read the same bytes on Linux). A name with a backslash or a newline is written
 * the way GNU coreutils escapes it — the line starts with `\` and those characters are escaped.
 */
export interface ChecksummedFile {
  name: string;
  sha256: string;
}

export function sha256sums(files: ChecksummedFile[]): string {
  return files
    .map(({ name, sha256 }) => {
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError(`sha256 of ${name} is not hex`);
      if (!/[\\\n\r]/.test(name)) return `${sha256}  ${name}\n`;
      const escaped = name.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
      return `\\${sha256}  ${escaped}\n`;
    })
    .join("");
}

/** The one-line check a user runs in the folder that holds the files. */
export const SHA256SUMS_VERIFY_COMMAND = "sha256sum -c SHA256SUMS";
