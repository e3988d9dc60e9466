/**
 * A floor under V8's young generation for snapgate's processes (workers, `serve`, the CLI's apply).
 *
 * V8 shrinks the new space while a process allocates little — a worker waiting for its next job, or for
 * a second person to approve a restore — and grows it back only when many objects survive a scavenge.
 * A restore's apply then starts with a ~1 MB semi-space: every request in flight (its `ClientRequest`,
 * headers, socket data, our transport's closures) outlives two scavenges and is promoted, and the old
 * generation fills with that garbage until V8's limit — ~2.8× the live heap — triggers a full collection.
 * Measured on the 146k-entity restore of `bench:restore`: 360 MB promoted in 20 s of apply, peak RSS
 * 1.1–1.2 GB for a live heap of ~230 MB; with the floor the heap stays within ~30 MB of the live size
 * during the apply and the peak was 630–670 MB. 16 MB is V8's default maximum semi-space on 64-bit, so
 * the young generation simply stays at its full size (3 × 16 MB reserved) instead of being resized.
 * `setFlagsFromString` at run time is enough: the new space is sized from the flag at each collection.
 */
import { setFlagsFromString } from 'node:v8';

const MIN_SEMI_SPACE_MB = 16;

export function keepYoungGenerationFull(): void {
  setFlagsFromString(`--min-semi-space-size=${MIN_SEMI_SPACE_MB}`);
}
