import type { ShouldRevalidateFunction } from "@remix-run/react";

/** The model page's form intents that only sign download links: they change no data. */
export const SIGNING_INTENTS: ReadonlySet<string> = new Set(["download", "download-all"]);

/** Reloads no loader's data after a form that only signed download links. */
export const skipRevalidationAfterSigning: ShouldRevalidateFunction = ({
  formData,
  defaultShouldRevalidate,
}) => {
  const intent = formData?.get("intent");
  return typeof intent === "string" && SIGNING_INTENTS.has(intent)
    ? false
    : defaultShouldRevalidate;
};
