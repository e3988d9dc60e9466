/** Errors the repositories throw. Each names what was asked and why it could not be done. */

/** A status change the record's current status does not allow (the conditional update matched 0 rows). */
export class TransitionError extends Error {
  constructor(
    readonly entity: 'backup' | 'restore' | 'rehearsal',
    readonly id: string,
    /** the status the record was in when the update was refused; `undefined` when it does not exist */
    readonly from: string | undefined,
    readonly to: string,
  ) {
    super(
      from === undefined
        ? `${entity} ${id} does not exist (cannot move it to ${to})`
        : `${entity} ${id} cannot move from ${from} to ${to}`,
    );
    this.name = 'TransitionError';
  }
}

export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}

/** A second restore request for a connection that already has one in progress. */
export class RestoreInProgressError extends Error {
  constructor(
    readonly connection: string,
    /** the request that holds the connection */
    readonly activeRestoreId: string,
    readonly activeStatus: string,
  ) {
    super(`a restore of ${connection} is already in progress (${activeRestoreId}, ${activeStatus})`);
    this.name = 'RestoreInProgressError';
  }
}
