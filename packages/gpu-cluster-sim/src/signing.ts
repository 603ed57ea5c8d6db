import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * File URLs work like presigned URLs: no bearer key, but an HMAC over job id, file name, variant
 * and expiry, so a URL can be neither guessed nor edited into another file.
 */
export interface SignedFileRef {
  jobId: string;
  fileName: string;
  variant: string;
  expiresAt: number; // unix seconds
}

function payload(ref: SignedFileRef): string {
  return `${ref.jobId}\n${ref.fileName}\n${ref.variant}\n${ref.expiresAt}`;
}

export function signFileRef(secret: Buffer, ref: SignedFileRef): string {
  return createHmac("sha256", secret).update(payload(ref)).digest("base64url");
}

export function verifyFileSignature(
  secret: Buffer,
  ref: SignedFileRef,
  signature: string,
): boolean {
  const expected = Buffer.from(signFileRef(secret, ref));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Constant-time comparison of two secrets of any length (both hashed first). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
