import { Transform, type TransformCallback } from "node:stream";

/**
 * Passes bytes through, counting them; calls `onIdle` when none arrived for `timeoutMs`. A chunk
 * only stamps the time (no timer churn per chunk on multi-GB files); a coarse interval checks it.
 */
export class IdleTimeout extends Transform {
  private readonly timer: NodeJS.Timeout;
  private lastChunkAt = performance.now();
  private received = 0;
  timedOut = false;

  constructor(
    timeoutMs: number,
    private readonly onIdle: () => void,
    private readonly onBytes?: (received: number) => void,
  ) {
    super();
    this.timer = setInterval(
      () => {
        if (performance.now() - this.lastChunkAt < timeoutMs) return;
        this.timedOut = true;
        clearInterval(this.timer);
        this.onIdle();
      },
      Math.max(10, Math.min(1_000, timeoutMs / 4)),
    );
    this.timer.unref();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.lastChunkAt = performance.now();
    this.received += chunk.length;
    this.onBytes?.(this.received);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearInterval(this.timer);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.timer);
    callback(error);
  }
}
