/** The CLI's logic as a library for other services: `import { pullModel } from "@mad/cli"`. */
export {
  ChecksumMismatchError,
  DownloadFailedError,
  PullFailedError,
  UnknownFilesError,
} from "./pull/errors";
export type { FileStatus, PulledFile, PullEvent } from "./pull/events";
export { pullModel, type PullOptions, type PullResult } from "./pull/pull-model";
