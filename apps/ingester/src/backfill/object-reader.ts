/**
 * Reads the first bytes of a stored object through the storage's own signed URLs (the storage
 * interface writes, lists and signs; reading is what a download does). `fetchSigned` is `fetch`
 * for Supabase Storage, and the local backend's download handler called in-process for local
 * storage — the same code that serves users' downloads. Ranges keep a multi-GB adapter from
 * being read whole: only its header is.
 */
import { type ArtifactStorage, StorageObjectNotFoundError } from "@mad/storage";

export type FetchSigned = (request: Request) => Promise<Response>;

export class ObjectReadError extends Error {
  override readonly name = "ObjectReadError";
}

/** Bytes [start, start + length) of the object (fewer when it is shorter). */
export async function readObjectRange(
  storage: ArtifactStorage,
  fetchSigned: FetchSigned,
  path: string,
  start: number,
  length: number,
): Promise<Buffer> {
  const name = path.slice(path.lastIndexOf("/") + 1);
  let url: string;
  try {
    url = await storage.createSignedUrl({ path, downloadName: name }, 300);
  } catch (error) {
    if (error instanceof StorageObjectNotFoundError) {
      throw new ObjectReadError(`${name} is not in storage`);
    }
    throw error;
  }
  const response = await fetchSigned(
    new Request(url, { headers: { Range: `bytes=${start}-${start + length - 1}` } }),
  );
  if (response.status !== 206 && response.status !== 200) {
    await response.body?.cancel();
    throw new ObjectReadError(`${name}: storage answered ${response.status}`);
  }
  // A server that ignores Range sends the whole object: read only as far as needed.
  const skip = response.status === 200 ? start : 0;
  const chunks: Buffer[] = [];
  let received = 0;
  if (!response.body) return Buffer.alloc(0);
  // Leaving the loop early cancels the body: the rest of the object is never transferred.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    received += chunk.byteLength;
    if (received >= skip + length) break;
  }
  return Buffer.concat(chunks).subarray(skip, skip + length);
}
