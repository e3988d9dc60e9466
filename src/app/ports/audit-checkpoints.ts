/**
 * Where signed audit checkpoints are published, outside the database: a small object store. The audit
 * log (`src/audit/checkpoints.ts`) signs the chain head and hands the bytes here; a store only keeps and
 * returns them, so a directory (`src/storage/checkpoint-directory.ts`), an object store or anything else
 * that can hold a few hundred bytes per checkpoint can serve. Names are single path segments chosen by
 * `src/audit` (`<time>-<seq>.json`), sortable by time.
 */
export interface CheckpointStore {
  /** stable, secret-free identity, e.g. `directory:/srv/snapgate/primary/audit-checkpoints` */
  readonly id: string;
  /** stores `body` under `name` atomically (never half-written); returns where it landed */
  put(name: string, body: string): Promise<string>;
  /** every stored name (any order); none yet → [] */
  list(): Promise<string[]>;
  /** the body stored under `name`; throws when it is missing */
  get(name: string): Promise<string>;
  /** removes what checkpoint writers that died mid-write left behind; returns their names */
  sweepLeftovers?(): Promise<string[]>;
}
