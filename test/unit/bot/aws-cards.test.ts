/**
 * Cards on an AWS connection: changes named by the console's nouns and breadcrumbs, and a change API Gateway
 * cannot make in place said before approval — failing (`not-updatable`) or made by re-creating the entity
 * (`recreate`) — not as a Kong hashed secret.
 */
import { describe, expect, it } from 'vitest';
import { diffResultCard } from '../../../src/bot/views/diff-card.ts';
import type { Plan } from '../../../src/core/index.ts';

const plan = {
  options: { only: null, noDeletes: false },
  steps: [],
  changes: [
    { op: 'update', kind: 'api_keys', id: 'partner', name: 'partner', fields: [{ path: 'value' }] },
    { op: 'create', kind: 'restapis', id: 'petstore', name: 'petstore' },
    {
      op: 'create',
      kind: 'method_responses',
      id: 'petstore:/pets GET 200',
      name: 'petstore › /pets › GET › 200',
    },
  ],
  summary: { create: 2, update: 1, delete: 0 },
  perSection: { apis: { create: 2, update: 0, delete: 0 }, api_keys: { create: 0, update: 1, delete: 0 } },
  warnings: [
    {
      code: 'not-updatable',
      kind: 'api_keys',
      id: 'partner',
      name: 'partner',
      field: 'value',
      message: 'API key partner: API Gateway cannot change `value` in place, so this step will fail',
    },
  ],
  refusals: [],
  planHash: 'x',
} as unknown as Plan;

/** The diff card of `p` for a backup of the AWS connection, as the JSON Slack would get. */
const cardText = (p: Plan) =>
  JSON.stringify(
    diffResultCard(
      {
        connection: 'payments-api-eu',
        backup: { id: 'b1', createdAt: null },
        requestedBy: 'U1',
        now: new Date(),
      },
      p,
    ),
  );

describe('cards on an AWS connection', () => {
  it('use AWS nouns and say what will fail, not Kong words', () => {
    const text = cardText(plan);
    expect(text).toContain('update API key partner');
    expect(text).toContain('create REST API petstore');
    expect(text).toContain('create method response petstore › /pets › GET › 200');
    expect(text).toContain(':warning: 1 change the gateway cannot make in place would fail: API key partner');
    expect(text).not.toMatch(/Kong|hashed secret/);
  });

  it('say that an entity will be re-created (a new id), not that it would fail', () => {
    const recreated = {
      ...plan,
      warnings: [
        {
          ...plan.warnings[0],
          code: 'recreate',
          message:
            'API key partner: API Gateway cannot change `value` in place, so it will be re-created (…): its id changes',
        },
      ],
    } as Plan;
    const text = cardText(recreated);
    expect(text).toContain(
      ':recycle: 1 change API Gateway cannot make in place will be made by re-creating the entity (a new id): API key partner',
    );
    expect(text).not.toContain('would fail');
  });
});
