/**
 * A process that is killed in the middle of writing an artifact (issue 18 §2): the real `writeArtifact`
 * into the primary directory of the config, with its compressed blocks held back forever, so the temp file
 * exists and never completes. The test SIGKILLs this process while it waits.
 *   node --import tsx stalled-writer.ts <config>
 */
import { loadConfig } from '../../../src/config/index.ts';
import { createCopyTarget, KeyRing, serializeSnapshot, writeArtifact } from '../../../src/storage/index.ts';
import { sampleSnapshot } from '../../unit/storage/helpers.ts';

const config = await loadConfig({ path: process.argv[2]! });
const serialized = { ...serializeSnapshot(sampleSnapshot()), blocks: new Promise<Buffer[]>(() => undefined) };
setInterval(() => undefined, 1 << 30); // a pending promise alone would let the process exit
process.stdout.write('writing\n');
await writeArtifact({
  backupId: 'b-stalled-0001',
  connection: 'prod',
  environment: 'prod',
  type: 'manual',
  keyRing: KeyRing.fromConfig(config.keys),
  primary: createCopyTarget(config.storage.primary),
  serialized,
  compression: 'brotli-blocks',
});
