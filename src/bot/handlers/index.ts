/**
 * The `/kong` commands this build serves, one handler per file. The restore commands answer that the
 * server runs no restores when `BotServices.restoreRequests` is absent.
 */
import { approve } from './approve.ts';
import { audit } from './audit.ts';
import { backup } from './backup.ts';
import { backups } from './backups.ts';
import { cancel } from './cancel.ts';
import { connections } from './connections.ts';
import type { HandlerTable } from './context.ts';
import { diff } from './diff.ts';
import { drift } from './drift.ts';
import { help } from './help.ts';
import { rehearsals } from './rehearsals.ts';
import { reject } from './reject.ts';
import { restore } from './restore.ts';
import { show } from './show.ts';
import { status } from './status.ts';
import { verify } from './verify.ts';

export const COMMAND_HANDLERS: HandlerTable = {
  help,
  connections,
  backup,
  backups,
  show,
  diff,
  drift,
  verify,
  rehearsals,
  status,
  audit,
  restore,
  approve,
  reject,
  cancel,
};
