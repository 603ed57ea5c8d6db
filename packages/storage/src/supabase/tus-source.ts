/**
 * The body of a resumable upload as tus-js-client's `FileSource`: slices are read from the
 * (already metered) stream into ONE reused chunk buffer, so memory stays at one chunk whatever the
 * file size. A retry may re-slice from any offset inside the current chunk (the server's
 * `Upload-Offset` after a cut PATCH); earlier bytes are gone, as with tus-js-client's own
 * StreamSource. The final slice is handed out only after the stream has ended, i.e. after the
 * integrity checks in the meter's flush have passed, so a bad body never completes an upload —
 * even when its size is an exact multiple of the chunk size.
 */
import type { Readable } from "node:stream";

export interface SliceResult {
  value: Uint8Array & { size: number };
  done: boolean;
}

export class MeteredStreamSource {
  readonly size: number;
  private readonly pieces: AsyncIterator<Uint8Array>;
  private leftover: Uint8Array | null = null;
  private readonly buffer: Buffer;
  private bufferStart = 0;
  private bufferLength = 0;
  private ended = false;
  /** The first error a slice ran into (the body failed or is longer than declared). */
  failure: unknown = undefined;

  constructor(body: Readable, sizeBytes: number, chunkBytes: number) {
    this.size = sizeBytes;
    this.pieces = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    this.buffer = Buffer.allocUnsafe(Math.max(1, Math.min(chunkBytes, sizeBytes)));
  }

  async slice(start: number, requestedEnd: number): Promise<SliceResult> {
    try {
      return await this.read(start, requestedEnd);
    } catch (error) {
      this.failure ??= error;
      throw error;
    }
  }

  private async read(start: number, requestedEnd: number): Promise<SliceResult> {
    const end = Math.min(requestedEnd, this.size);
    const bufferEnd = this.bufferStart + this.bufferLength;
    if (start < this.bufferStart || start > bufferEnd)
      throw new Error(`cannot seek to ${start}: the body is at ${this.bufferStart}-${bufferEnd}`);
    if (end - start > this.buffer.byteLength)
      throw new Error(`slice of ${end - start} bytes is larger than the chunk buffer`);
    if (end > bufferEnd) {
      // Keep what the server has not acknowledged yet, then read on.
      this.buffer.copyWithin(0, start - this.bufferStart, this.bufferLength);
      this.bufferLength = bufferEnd - start;
      this.bufferStart = start;
      while (this.bufferStart + this.bufferLength < end) {
        const piece = await this.nextPiece();
        if (piece === null) break;
        const want = end - (this.bufferStart + this.bufferLength);
        const take = Math.min(want, piece.byteLength);
        this.buffer.set(piece.subarray(0, take), this.bufferLength);
        this.bufferLength += take;
        if (take < piece.byteLength) this.leftover = piece.subarray(take);
      }
    }
    const done = end >= this.size;
    if (done) await this.awaitEnd();
    const offset = start - this.bufferStart;
    const available = Math.min(end, this.bufferStart + this.bufferLength) - start;
    const value = Object.assign(this.buffer.subarray(offset, offset + available), {
      size: available,
    });
    return { value, done };
  }

  close(): void {
    // The caller owns the stream (it is destroyed on failure there).
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
