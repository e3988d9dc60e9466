import { failureAdvice } from '../app/failure-advice.ts';
import type { FailureCode } from '../app/ports/records.ts';

/** An error whose message is meant for the person at the terminal: printed as is, no stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The exit error for a failed backup or restore: the recorded reason, then what to check, chosen by the
 * stored failure code (src/app/failure-advice.ts).
 */
export function failedRecordError(
  subject: string,
  record: { failureReason: string | null; failureCode: FailureCode | null },
): CliError {
  const reason = record.failureReason ?? 'no reason recorded';
  return new CliError(`${subject}: ${reason}\nwhat to check: ${failureAdvice(record.failureCode)}`);
}
