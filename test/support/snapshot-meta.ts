/** A snapshot's metadata for unit tests that need one and care about none of it: Kong 3.9.3, one workspace. */
import type { SnapshotMeta } from '../../src/core/index.ts';

export const TEST_META: SnapshotMeta = {
  format: 1,
  kongVersion: '3.9.3',
  edition: 'community',
  database: 'postgres',
  workspace: null,
  takenAt: '2026-12-06T00:00:00.000Z',
  counts: {},
};
