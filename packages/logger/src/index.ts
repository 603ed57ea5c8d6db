export { createLogger, type Logger, type LoggerOptions } from "./logger";
export { redactUrl } from "./redact-url";
