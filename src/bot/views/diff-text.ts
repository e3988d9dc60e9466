/**
 * The full diff as plain text for the file uploaded into the thread: every change with its id and, for
 * updates, each field's before and after. Secrets are masked with core's `redact` (catalogue secret
 * fields plus secret-looking names) before anything is printed. Deterministic: same plan, same text.
 */
import { type Plan, redact } from '../../core/index.ts';

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

export function diffText(header: readonly string[], plan: Plan): string {
  const out = [...header, ''];
  const { create, update, delete: del } = plan.summary;
  out.push(`Summary: ${create} create, ${update} update, ${del} delete`);
  for (const [s, c] of Object.entries(plan.perSection)) {
    if (c) out.push(`  ${s}: +${c.create} ~${c.update} -${c.delete}`);
  }
  out.push('');
  for (const raw of plan.changes) {
    const c = redact(raw);
    const mark = c.op === 'create' ? '+' : c.op === 'update' ? '~' : '-';
    out.push(`${mark} ${c.op} ${c.kind} ${c.name} (id ${c.id})${c.op === 'delete' ? '  [DESTRUCTIVE]' : ''}`);
    if (c.op === 'update') {
      for (const f of c.fields ?? []) out.push(`    ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
    } else {
      const entity = c.op === 'create' ? c.after : c.before;
      if (entity) out.push(`    ${JSON.stringify(entity)}`);
    }
  }
  for (const w of plan.warnings) out.push(`! warning: ${w.message}`);
  for (const r of plan.refusals) out.push(`! refused: ${r.message}`);
  return `${out.join('\n')}\n`;
}
