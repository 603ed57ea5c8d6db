import { createLogger } from "@mad/logger";

/** The web app's one logger (pino, JSON lines on stdout): pages, the API's errors, rendering. */
export const logger = createLogger({ name: "web" });
