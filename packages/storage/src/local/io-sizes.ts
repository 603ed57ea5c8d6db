/**
 * The local backend's read and write sizes, one owner for its two read paths (`read()`, which the
 * model bundle streams entries from, and the signed-download handler).
 *
 * Reads: 1 MiB. Every chunk costs the same in the web server (a web-stream pull, Remix's write,
 * a socket write), so fewer, larger chunks leave more of the CPU to the copying. Through the
 * dashboard server (`pnpm --filter @mad/web bench:bundle`, 1 GiB, four runs each): single files
 * 853–976 → 978–1,124 MiB/s and the bundle 743–746 → 887–915 MiB/s against 256 KiB. In memory it is one chunk per
 * download in flight: the streams are pull-based.
 */
export const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Writes: a 1 MiB buffer (Node: 16 KiB) lets the disk write the last chunk while the next one is
 * hashed, instead of one chunk at a time: measured +5–10 % on a 1 GiB copy (bench/ingest).
 */
export const WRITE_BUFFER_BYTES = 1024 * 1024;
