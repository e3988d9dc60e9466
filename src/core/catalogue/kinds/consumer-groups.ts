import type { Entity, KindDef } from '../types.ts';
import { labelFrom } from './shared.ts';

/** Enterprise: consumer_groups (name unique). Group-scoped plugins are plugins with `consumer_group` set. */
export const consumerGroups: KindDef = {
  kind: 'consumer_groups',
  section: 'consumer_groups',
  level: 2,
  naturalKey: ['name'],
  unique: [['name']],
  foreignKeys: [],
  secretFields: [],
  hashedFields: [],
  setFields: ['tags'],
  defaults: {},
  readOnlyFields: [],
  enterprise: true,
  deckKey: 'consumer_groups',
  label: labelFrom('name'),
};

/**
 * Enterprise: membership of a consumer in a group. Kong has no id for it (the pair is the key), so the
 * snapshot id is `<group id>:<consumer id>`. Written with POST /consumer_groups/{g}/consumers and
 * DELETE /consumer_groups/{g}/consumers/{c}; both sides cascade.
 */
export const consumerGroupMembers: KindDef = {
  kind: 'consumer_group_members',
  section: 'consumer_groups',
  level: 3,
  nested: { parentField: 'consumer_group', parentKind: 'consumer_groups' },
  naturalKey: ['consumer_group', 'consumer'],
  unique: [['consumer_group', 'consumer']],
  foreignKeys: [
    { field: 'consumer_group', references: 'consumer_groups', onDelete: 'cascade', required: true },
    { field: 'consumer', references: 'consumers', onDelete: 'cascade', required: true },
  ],
  secretFields: [],
  hashedFields: [],
  setFields: [],
  defaults: {},
  readOnlyFields: [],
  enterprise: true,
  deckKey: 'consumers',
  label: (e: Entity) => e.id,
};

export function memberId(groupId: string, consumerId: string): string {
  return `${groupId}:${consumerId}`;
}
