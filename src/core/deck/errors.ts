/**
 * The one error a decK file import throws. `path` is the JSON path of the offending value
 * (`services[0].routes[1].paths`) and `line` its 1-based line in the source text when known, so a user
 * can jump straight to the problem in YAML and JSON files alike.
 */
export class DeckFileError extends Error {
  override readonly name = 'DeckFileError';
  readonly problem: string;
  readonly path: string | null;
  readonly line: number | null;

  constructor(problem: string, where: { path?: string | null; line?: number | null } = {}) {
    const path = where.path ?? null;
    const line = where.line ?? null;
    const at = [path !== null && path !== '' ? `at ${path}` : null, line !== null ? `line ${line}` : null]
      .filter((s): s is string => s !== null)
      .join(', ');
    super(at ? `${problem} (${at})` : problem);
    this.problem = problem;
    this.path = path;
    this.line = line;
  }
}

/** A path inside the parsed document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** `['services', 0, 'routes', 1]` → `services[0].routes[1]`. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}
