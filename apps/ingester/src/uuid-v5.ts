import { createHash } from "node:crypto";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Namespace of artifact ids. Fixed forever: changing it would give every job a new artifact id
 * and new storage paths, so a retry would no longer overwrite what an earlier attempt wrote.
 */
export const ARTIFACT_ID_NAMESPACE = "5b0f6c2e-8a51-4d6f-9c3e-2f7a1d4b8e90";

/** RFC 9562 UUID version 5 (SHA-1 of namespace bytes + name bytes). */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new Error(`not a UUID namespace: ${namespace}`);
  const namespaceBytes = Buffer.from(namespace.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The artifact of a training job: the same id on every attempt, in every ingester process. */
export function artifactIdForJob(trainingJobId: string): string {
  return uuidV5(trainingJobId.toLowerCase(), ARTIFACT_ID_NAMESPACE);
}
