/** The CLI's logic as a library for other services: `import { pullModel } from "@mad/cli"`. */
export { pullModel, type PullOptions, type PullResult } from "./pull/pull-model";
export type { PullEvent, PulledFile, FileStatus } from "./pull/events";
export {
  ChecksumMismatchError,
  DownloadFailedError,
  PullFailedError,
  UnknownFilesError,
} from "./pull/errors";
