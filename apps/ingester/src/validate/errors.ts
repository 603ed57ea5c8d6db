/** A file whose content is not what its name promises: never worth retrying. */
export class InvalidArtifactFileError extends Error {
  override readonly name = "InvalidArtifactFileError";
  constructor(
    readonly fileName: string,
    reason: string,
  ) {
    super(`${fileName}: ${reason}`);
  }
}
