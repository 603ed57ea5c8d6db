/**
 * The few browser APIs the dashboard's components call, typed here. The app type-checks without
 * TypeScript's DOM lib: most of its code runs on the server (where `document` would be a bug),
 * and the workspace packages it compiles from source are typed for Node's fetch and streams,
 * which the DOM lib's declarations contradict.
 */
interface BrowserGlobals {
  navigator: { clipboard: { writeText(text: string): Promise<void> } };
}

const browser = () => globalThis as unknown as BrowserGlobals;

export function copyToClipboard(text: string): Promise<void> {
  return browser().navigator.clipboard.writeText(text);
}
