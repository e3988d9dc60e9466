/**
 * The records registry: which implementation of the records port a `database` config opens. One line per
 * implementation; the first whose `accepts` matches wins. Only the composition root (`src/compose`) and
 * the CLI's offline verbs through it open records.
 */
import type { RecordDeps, Records } from '../app/ports/records.ts';
import type { Config } from '../config/index.ts';
import { openSqliteRecords } from '../db/index.ts';

export type DatabaseConfig = Config['database'];

export interface RecordsImplementation {
  /** what `database:` in snapgate.yml selects it by */
  name: string;
  accepts(config: DatabaseConfig): boolean;
  open(config: DatabaseConfig, deps: Partial<RecordDeps>): Records;
}

export const RECORDS_IMPLEMENTATIONS: readonly RecordsImplementation[] = [
  { name: 'sqlite', accepts: (c) => 'path' in c, open: (c, deps) => openSqliteRecords(c.path, deps) },
];

/** Opens the records the config names (migrations applied). */
export function openRecords(config: DatabaseConfig, deps: Partial<RecordDeps> = {}): Records {
  const impl = RECORDS_IMPLEMENTATIONS.find((i) => i.accepts(config));
  if (!impl) throw new Error('database: no records implementation accepts this configuration');
  return impl.open(config, deps);
}
