/**
 * The body of a resumable upload as tus-js-client's `FileSource`. Slices are read from the
 * (already metered) stream into ONE reused window of two chunks: while a chunk's PATCH is on the
 * wire, the next chunk is read ahead into the other half, so downloading from the cluster and
 * uploading overlap; memory stays at two chunks (12 MiB) whatever the file size. A retry may
 * re-slice from any offset inside the current chunk (the server's `Upload-Offset` after a cut
 * PATCH); earlier bytes are gone, as with tus-js-client's own StreamSource. The final slice is
 * handed out only after the stream has ended, i.e. after the integrity checks in the meter's
 * flush have passed, so a bad body never completes an upload — even when its size is an exact
 * multiple of the chunk size.
 */
import type { Readable } from "node:stream";

export interface SliceResult {
  value: Uint8Array & { size: number };
  done: boolean;
}

export class MeteredStreamSource {
  readonly size: number;
  /** The first error a slice ran into (the body failed or is longer than declared). */
  failure: unknown = undefined;
  private readonly pieces: AsyncIterator<Uint8Array>;
  private readonly chunkBytes: number;
  private readonly window: Buffer;
  private leftover: Uint8Array | null = null;
  /** Stream offset of window[0], and how many bytes of the window are filled. */
  private windowStart = 0;
  private windowLength = 0;
  private ended = false;
  /** The read-ahead in progress (never rejects; its error is kept in `readAheadError`). */
  private filling: Promise<void> = Promise.resolve();
  private readAheadError: unknown = undefined;

  constructor(body: Readable, sizeBytes: number, chunkBytes: number) {
    this.size = sizeBytes;
    this.chunkBytes = chunkBytes;
    this.pieces = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    this.window = Buffer.allocUnsafe(Math.max(1, Math.min(2 * chunkBytes, sizeBytes)));
  }

  async slice(start: number, requestedEnd: number): Promise<SliceResult> {
    try {
      return await this.read(start, requestedEnd);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  close(): void {
    // The caller owns the stream (it is destroyed on failure there).
  }

  private async read(start: number, requestedEnd: number): Promise<SliceResult> {
    const end = Math.min(requestedEnd, this.size);
    if (start < this.windowStart || start > this.windowStart + this.windowLength)
      throw new Error(`cannot seek to ${start}: the body is at ${this.windowStart}`);
    if (end - start > this.chunkBytes)
      throw new Error(`slice of ${end - start} bytes is larger than a chunk`);
    // The previous slice's request is finished (tus-js-client sends one at a time), so its
    // bytes before `start` may be dropped. A read-ahead writes at the window's current end,
    // computed when it writes, so moving the window between its steps is safe.
    this.window.copyWithin(0, start - this.windowStart, this.windowLength);
    this.windowLength -= start - this.windowStart;
    this.windowStart = start;
    this.fillTo(end);
    await this.filling;
    const readAheadError = this.readAheadError;
    if (readAheadError !== undefined)
      throw readAheadError instanceof Error ? readAheadError : new Error("the body failed");
    const done = end >= this.size;
    if (done) await this.awaitEnd();
    const available = Math.min(end, this.windowStart + this.windowLength) - start;
    const value = Object.assign(this.window.subarray(0, available), { size: available });
    // Read the next chunk while this one is being sent.
    if (!done) this.fillTo(Math.min(this.size, this.windowStart + this.window.byteLength));
    return { value, done };
  }

  /** Queues reading until the window reaches stream offset `target` (or the stream ends). */
  private fillTo(target: number): void {
    this.filling = this.filling.then(async () => {
      if (this.readAheadError !== undefined) return;
      try {
        while (this.windowStart + this.windowLength < target) {
          const piece = await this.nextPiece();
          if (piece === null) return;
          const room = Math.min(
            this.window.byteLength - this.windowLength,
            target - (this.windowStart + this.windowLength),
          );
          const take = Math.min(room, piece.byteLength);
          this.window.set(piece.subarray(0, take), this.windowLength);
          this.windowLength += take;
          if (take < piece.byteLength) this.leftover = piece.subarray(take);
        }
      } catch (error) {
        this.readAheadError = error;
      }
    });
  }

  private async nextPiece(): Promise<Uint8Array | null> {
    if (this.leftover) {
      const piece = this.leftover;
      this.leftover = null;
      return piece;
    }
    if (this.ended) return null;
    const next = await this.pieces.next();
    if (next.done) {
      this.ended = true;
      return null;
    }
    return next.value;
  }

  /** Resolves once the stream ended cleanly (rejects with the meter's error otherwise). */
  private async awaitEnd(): Promise<void> {
    while (!this.ended) {
      const piece = await this.nextPiece();
      if (piece !== null && piece.byteLength > 0)
        throw new Error(`the body is longer than the declared ${this.size} bytes`);
    }
  }
}
