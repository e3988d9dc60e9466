/**
 * Workspaces (Kong Enterprise): a backup belongs to the workspace it was dumped from and is restored to
 * that workspace only. A gateway reached without a workspace prefix serves `default` (and a community
 * gateway has no other), so no workspace and `default` are the same place.
 */
import type { Entity, EntityKind } from './catalogue/index.ts';
import type { Snapshot } from './snapshot.ts';

/** The workspace a dump or connection means: `default` when none is named. */
export function workspaceName(workspace: string | null | undefined): string {
  return workspace ? workspace : 'default';
}

/**
 * Why a backup of `backupWorkspace` must not be restored onto a gateway reached in `gatewayWorkspace`,
 * or null when they are the same workspace.
 */
export function workspaceMismatch(
  backupWorkspace: string | null | undefined,
  gatewayWorkspace: string | null | undefined,
): string | null {
  const from = workspaceName(backupWorkspace);
  const to = workspaceName(gatewayWorkspace);
  if (from === to) return null;
  return `the backup holds workspace "${from}" but the connection reaches workspace "${to}"; a backup is restored only into its own workspace (set the connection's workspace to "${from}")`;
}

/** The field a multi-workspace snapshot's entities carry their workspace in (never sent to Kong). */
export const WORKSPACE_FIELD = '_workspace';

/**
 * A multi-workspace snapshot as one snapshot per workspace (every workspace of `meta.workspaces`, empty
 * ones included), each entity without its `_workspace` field and each `meta.workspace` set.
 */
export function splitWorkspaces(snapshot: Snapshot): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  const names = Object.keys(snapshot.meta.workspaces ?? {});
  const { workspaces: _all, ...meta } = snapshot.meta;
  const of = (ws: string): Snapshot => {
    let s = out.get(ws);
    if (!s) {
      s = { meta: { ...meta, workspace: ws, counts: {} }, entities: {} };
      out.set(ws, s);
    }
    return s;
  };
  for (const ws of names) of(ws);
  for (const kind of Object.keys(snapshot.entities) as EntityKind[]) {
    for (const ws of names) of(ws).entities[kind] = {};
    for (const [id, e] of Object.entries(snapshot.entities[kind] ?? {})) {
      const { [WORKSPACE_FIELD]: tag, ...rest } = e as Entity & { _workspace?: unknown };
      const ws = workspaceName(typeof tag === 'string' ? tag : null);
      const map = of(ws).entities[kind] ?? {};
      map[id] = rest as Entity;
      of(ws).entities[kind] = map;
    }
  }
  for (const s of out.values()) {
    for (const kind of Object.keys(s.entities) as EntityKind[]) {
      s.meta.counts[kind] = Object.keys(s.entities[kind] ?? {}).length;
    }
  }
  return out;
}

const WORKSPACE_NAME = /^[A-Za-z0-9._~-]+$/;

/**
 * `<workspace>/<section>` or `<workspace>/*` (a multi-workspace backup's `--only`), with the section
 * checked by `isSection`; null for anything else. Bare sections are the caller's to read.
 */
export function scopedOnlyEntry(
  word: string,
  isSection: (s: string) => boolean,
): `${string}/${string}` | null {
  const slash = word.indexOf('/');
  if (slash <= 0) return null;
  const ws = word.slice(0, slash);
  const section = word
    .slice(slash + 1)
    .toLowerCase()
    .replace(/-/g, '_');
  if (!WORKSPACE_NAME.test(ws)) return null;
  if (section !== '*' && !isSection(section)) return null;
  return `${ws}/${section}`;
}
