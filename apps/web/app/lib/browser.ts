/**
 * The few browser APIs the dashboard's components call, typed here. The app type-checks without
 * TypeScript's DOM lib: most of its code runs on the server (where `document` would be a bug),
 * and the workspace packages it compiles from source are typed for Node's fetch and streams,
 * which the DOM lib's declarations contradict.
 */
interface Anchor {
  href: string;
  download: string;
  hidden: boolean;
  click(): void;
  remove(): void;
}

interface Focusable {
  focus(options?: { preventScroll?: boolean }): void;
}

interface BrowserGlobals {
  document: {
    createElement(tag: "a"): Anchor;
    body: { appendChild(node: Anchor): void };
    activeElement: unknown;
    getElementById(id: string): Focusable | null;
  };
  navigator: { clipboard: { writeText(text: string): Promise<void> } };
}

const browser = () => globalThis as unknown as BrowserGlobals;

/** Starts a download of `url` as `fileName` through a hidden link (no pop-up, no navigation). */
export function startDownload(url: string, fileName: string): void {
  const { document } = browser();
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = fileName;
  anchor.hidden = true;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
}

export function copyToClipboard(text: string): Promise<void> {
  return browser().navigator.clipboard.writeText(text);
}

/**
 * Puts focus on the element with `id` when it was lost to the page's body — what happens when
 * the focused button is removed by the action it started ("Mark as read", "Mark all as read").
 */
export function rescueFocus(id: string): void {
  const { document } = browser();
  const active = document.activeElement;
  if (active !== null && active !== document.body) return;
  document.getElementById(id)?.focus({ preventScroll: true });
}
