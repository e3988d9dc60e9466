/** Watching the gateways (issue 16): alerts, the dead man's switch and drift detection. */
export { ALERT_KINDS, type AlertEvent, type AlertKind, type AlertPhase } from './alert-types.ts';
export {
  type AlertInput,
  type AlertOutcome,
  alertsOf,
  backupSettled,
  raiseAlert,
  repeatAlert,
  resolveAlerts,
} from './alerts.ts';
export {
  checkDrift,
  DRIFT_BACKUP_NOTE,
  DRIFT_PROBLEM,
  type DriftCheckRequest,
  type DriftEvent,
  type DriftOutcome,
} from './drift.ts';
export { checkStaleness, formatDuration, nextRepeatAt, type StalenessResult } from './staleness.ts';
