import type { Command } from 'commander';
import { registerApply } from './apply.ts';
import { registerApprove } from './approve.ts';
import { registerApprovers } from './approvers.ts';
import { registerArtifact } from './artifact.ts';
import { registerAudit } from './audit.ts';
import { registerBackup } from './backup.ts';
import { registerConfig } from './config-check.ts';
import { registerDb } from './db.ts';
import { registerDiff } from './diff.ts';
import { registerDump } from './dump.ts';
import { registerGdpr } from './gdpr.ts';
import { registerKeys } from './keys.ts';
import { registerPrune } from './prune.ts';
import { registerRehearse } from './rehearse.ts';
import { registerReport } from './report.ts';
import { registerRestore } from './restore.ts';
import { registerRestores } from './restores.ts';
import { registerServe } from './serve.ts';
import { registerStorage } from './storage.ts';
import { registerVerify } from './verify.ts';
import { registerWorker } from './worker.ts';

/** Every verb registers itself here, in the order `--help` lists them. */
export function registerCommands(program: Command): void {
  // engine verbs: talk to one gateway directly
  registerDump(program);
  registerDiff(program);
  registerApply(program);
  // backup service verbs: read snapgate.yml
  registerServe(program);
  registerWorker(program);
  registerBackup(program);
  registerVerify(program);
  registerGdpr(program);
  registerPrune(program);
  registerRehearse(program);
  registerReport(program);
  registerConfig(program);
  registerKeys(program);
  registerStorage(program);
  registerArtifact(program);
  registerAudit(program);
  registerDb(program);
  // restore verbs: the break-glass twin of the Slack flow
  registerRestore(program);
  registerRestores(program);
  registerApprove(program);
  registerApprovers(program);
}
