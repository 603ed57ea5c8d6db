/**
 * Limits the API enforces that a page also explains before it asks: plain constants, so a
 * browser bundle can import them (`@mad/api/limits`) without the router.
 */

/** models.compare takes 2–4 models: a chart of more than four overlaid runs is unreadable. */
export const COMPARE_MIN_MODELS = 2;
export const COMPARE_MAX_MODELS = 4;
