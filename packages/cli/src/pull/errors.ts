/** Why a pull failed, with messages a person can act on. */
export class ChecksumMismatchError extends Error {
  override readonly name = "ChecksumMismatchError";
  constructor(
    readonly fileName: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${fileName}: sha256 mismatch — expected ${expected}, got ${actual}. The downloaded file was deleted; the stored copy may be corrupt, so pulling again will not help until it is fixed.`,
    );
  }
}

export class DownloadFailedError extends Error {
  override readonly name = "DownloadFailedError";
  constructor(
    readonly fileName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${fileName}: ${message}`, options);
  }
}

export class UnknownFilesError extends Error {
  override readonly name = "UnknownFilesError";
  constructor(
    readonly unknown: string[],
    available: string[],
  ) {
    super(
      `This model has no file ${unknown.map((n) => JSON.stringify(n)).join(", ")}; it has ${available.map((n) => JSON.stringify(n)).join(", ")}`,
    );
  }
}

/** Some files failed; the others were downloaded and verified. */
export class PullFailedError extends Error {
  override readonly name = "PullFailedError";
  constructor(readonly failures: Error[]) {
    super(failures.map((failure) => failure.message).join("\n"));
  }
}
