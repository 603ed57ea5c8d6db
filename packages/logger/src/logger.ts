import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

export interface LoggerOptions {
  /** The process's name in every line (`ingester`, `web`, `gpu-cluster-sim`…). */
  name: string;
  level?: string;
  /** Where lines go (default stdout); tests pass a capturing stream. */
  destination?: DestinationStream;
}

/**
 * The one logger of every process: structured JSON, one object per line, ISO timestamps. Fields
 * that could ever carry a secret are redacted by path as a second line of defence; the first is
 * that no code logs headers, configuration or signed URLs (see redactUrl).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? "info",
      redact: {
        paths: [
          "apiKey",
          "*.apiKey",
          "authorization",
          "*.authorization",
          "cookie",
          "*.cookie",
          "headers",
          "*.headers",
          "token",
          "*.token",
          "config.*Key",
          "config.*Secret",
        ],
        censor: "[redacted]",
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
