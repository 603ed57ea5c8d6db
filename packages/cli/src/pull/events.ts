/** What a pull reports as it goes (the CLI prints these as JSON lines or progress bars). */
export type FileStatus = "downloaded" | "resumed" | "already-present";

export interface PulledFile {
  name: string;
  size_bytes: number;
  sha256: string;
  status: FileStatus;
  /** Bytes that were already on disk from an earlier, interrupted pull. */
  resumed_from_bytes: number;
}

export type PullEvent =
  | {
      event: "start";
      model_id: string;
      model_name: string;
      dir: string;
      files: { name: string; size_bytes: number }[];
      total_bytes: number;
    }
  | { event: "file-start"; file: string; size_bytes: number; offset: number }
  | { event: "progress"; file: string; bytes: number; size_bytes: number }
  | { event: "url-refreshed"; file: string; status: number }
  | { event: "retry"; file: string; attempt: number; reason: string }
  | ({ event: "file-done" } & PulledFile);
