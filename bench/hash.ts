import { createHash } from 'node:crypto';
import { stableStringify } from '../src/lib/stableJson';

export { stableStringify };

/** A short content hash of anything JSON-like (16 hex digits of SHA-256 over the stable serialization). */
export function configHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex').slice(0, 16);
}

/** FNV-1a, 32 bits: a fast, stable string hash (used to assign runs to shards). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
