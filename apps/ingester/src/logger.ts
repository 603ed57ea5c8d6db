import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Structured JSON logs (one object per line). Fields that could ever carry a secret are redacted
 * by path as a second line of defence; the first is that no code logs headers or configuration.
 */
export function createLogger(
  options: { level?: string; destination?: DestinationStream; name?: string } = {},
): Logger {
  return pino(
    {
      name: options.name ?? "ingester",
      level: options.level ?? "info",
      redact: {
        paths: [
          "apiKey",
          "*.apiKey",
          "authorization",
          "*.authorization",
          "headers",
          "*.headers",
          "config.*Key",
        ],
        censor: "[redacted]",
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
