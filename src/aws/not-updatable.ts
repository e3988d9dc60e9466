/**
 * Changes API Gateway cannot make in place, found when the plan is made (the AWS planner's preflight) so the
 * diff and the restore card say so before anyone approves: an update step whose changed member has no PATCH
 * path for its kind (an API key's value, a model's content type, tags, a VPC link's target). Such a step
 * fails with `NotUpdatableError` when applied and the rest of the restore goes on. snapgate does not
 * re-import the API (`PutRestApi mode=overwrite`) to make these.
 */
import {
  type AwsKind,
  isEntityKind,
  isKongKind,
  KIND_NOUN,
  type Plan,
  type PlanWarning,
} from '../core/index.ts';
import { PATCHABLE } from './patch-ops.ts';

/** Kinds written whole by their Put operation: any member can change. */
const WRITTEN_WHOLE: ReadonlySet<AwsKind> = new Set([
  'integrations',
  'integration_responses',
  'gateway_responses',
]);

/** Snapshot members that are references, by the service member their PATCH path names. */
const AS_MEMBER: Readonly<Record<string, string>> = {
  authorizer: 'authorizerId',
  requestValidator: 'requestValidatorId',
  clientCertificate: 'clientCertificateId',
  restApi: 'restapiId',
};

/** The members of a change that its kind's PATCH cannot write. */
export function notUpdatableFields(kind: AwsKind, paths: readonly string[]): string[] {
  if (WRITTEN_WHOLE.has(kind)) return [];
  const patchable = PATCHABLE[kind] ?? {};
  const out = new Set<string>();
  for (const path of paths) {
    const top = path.split('.')[0] ?? path;
    if (!Object.hasOwn(patchable, AS_MEMBER[top] ?? top)) out.add(top);
  }
  return [...out];
}

export function notUpdatableWarnings(plan: Plan): PlanWarning[] {
  const out: PlanWarning[] = [];
  for (const c of plan.changes) {
    if (c.op !== 'update' || !isEntityKind(c.kind) || isKongKind(c.kind)) continue;
    for (const field of notUpdatableFields(
      c.kind as AwsKind,
      (c.fields ?? []).map((f) => f.path),
    )) {
      out.push({
        code: 'not-updatable',
        kind: c.kind,
        id: c.id,
        name: c.name,
        field,
        message: `${KIND_NOUN[c.kind]} ${c.name}: API Gateway cannot change \`${field}\` in place, so this step will fail; delete it on the gateway and restore again (snapgate does not re-import the API with PutRestApi mode=overwrite)`,
      });
    }
  }
  return out;
}
