/**
 * Test support: build a gateway the way a person does with curl — one `POST` per entity, no ids, so Kong
 * (here kong-sim) picks a random UUID for each — from a snapshot whose ids only tie its entities together.
 * Returns the ids Kong chose, per kind, keyed by the snapshot's ids.
 */
import {
  CATALOGUE,
  type Entity,
  type EntityKind,
  KINDS_TOP_DOWN,
  type Snapshot,
} from '../../src/core/index.ts';
import { ADMIN_PATHS } from '../../src/kong/admin-paths.ts';

export async function buildByHand(
  url: string,
  s: Snapshot,
  headers: Record<string, string> = {},
): Promise<Map<EntityKind, Map<string, string>>> {
  const ids = new Map<EntityKind, Map<string, string>>();
  const post = async (path: string, body: unknown): Promise<{ id?: string }> => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as { id?: string };
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  for (const kind of KINDS_TOP_DOWN) {
    const def = CATALOGUE[kind];
    const made = new Map<string, string>();
    ids.set(kind, made);
    for (const e of Object.values(s.entities[kind] ?? {})) {
      const body: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(e as Entity)) {
        if (field === 'id' || def.readOnlyFields.includes(field)) continue;
        body[field] = value;
      }
      for (const fk of def.foreignKeys) {
        const to = ids.get(fk.references);
        const v = body[fk.field];
        if (!to || v === null || v === undefined) continue;
        body[fk.field] = fk.array
          ? (v as string[]).map((x) => to.get(x) ?? x)
          : { id: to.get((v as { id: string }).id) ?? (v as { id: string }).id };
      }
      if (kind === 'consumer_group_members') {
        const group = (body.consumer_group as { id: string }).id;
        await post(`/consumer_groups/${group}/consumers`, { consumer: (body.consumer as { id: string }).id });
        continue;
      }
      const where = ADMIN_PATHS[kind];
      const nested = where.writeNested && def.nested;
      const path = nested
        ? `${ADMIN_PATHS[nested.parentKind].collection}/${(body[nested.parentField] as { id: string }).id}/${where.nested}`
        : (where.collection as string);
      const created = await post(path, body);
      made.set(e.id, String(created.id));
    }
  }
  return ids;
}
