/** A file whose content is not what its name promises. */
export class InvalidArtifactFileError extends Error {
  override readonly name = "InvalidArtifactFileError";
  constructor(
    readonly fileName: string,
    reason: string,
    /**
     * False when the content looks cut short rather than wrong (a safetensors file shorter than its
     * header describes): that is what a truncated transfer looks like, so another attempt may help.
     */
    readonly permanent = true,
  ) {
    super(`${fileName}: ${reason}`);
  }
}
