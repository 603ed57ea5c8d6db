/** Quoting for the commands and code we print, so they work as pasted whatever the names are. */

/** A Python string literal (JSON's escapes are valid Python). */
export function pythonString(value: string): string {
  return JSON.stringify(value);
}

/** One shell word: bare when it is plainly safe, single-quoted otherwise. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9._/:=@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** The folder a user downloads the adapter into: the model name as a lower-case slug. */
export function adapterDirName(modelName: string): string {
  const slug = modelName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "adapter";
}
