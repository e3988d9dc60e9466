/**
 * The `/kong` commands this build serves, one handler per file. The restore commands (`restore`,
 * `approve`, `reject`, `cancel`) register here when the restore module adds their handlers; until then
 * the listener answers that this build does not run them.
 */
import { audit } from './audit.ts';
import { backup } from './backup.ts';
import { backups } from './backups.ts';
import { connections } from './connections.ts';
import type { HandlerTable } from './context.ts';
import { diff } from './diff.ts';
import { help } from './help.ts';
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
  verify,
  status,
  audit,
};
