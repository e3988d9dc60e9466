/**
 * Reading the text of a decK file: templates, syntax, format version. JSON files are read with
 * JSON.parse (a 146k-entity file in well under a second); YAML files with the `yaml` package. Lines for
 * error messages come from a YAML document of the text (JSON is YAML too), built when a problem is found
 * rather than up front, and only for files small enough to re-read quickly.
 */
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Tags,
} from 'yaml';
import { DeckFileError, type DocPath, formatPath } from './errors.ts';
import { FORMAT_VERSIONS, isFormatVersion, migrateToFormat30 } from './format-version.ts';

export interface ParsedSource {
  data: Record<string, unknown>;
  /** 1-based line of the value (or, with `key: true`, of the key) at `path`; null when unknown. */
  lineOf(path: DocPath, opts?: { key?: boolean }): number | null;
  /** Throw a DeckFileError at `path`. */
  fail(problem: string, path: DocPath, opts?: { key?: boolean }): never;
}

/**
 * decK renders `${{ env "DECK_X" }}` before parsing (deck `file render`); a file that still holds one was
 * never rendered, and importing it would store the template text as a secret or a host name.
 */
const TEMPLATE_RE = /\$\{\{[^}]*\}\}/;

/** Above this size a failing JSON file is reported by path only: re-reading it for lines costs seconds. */
const MAX_LINE_LOOKUP_CHARS = 4_000_000;

interface YamlSource {
  doc: Document.Parsed;
  lines: LineCounter;
}

function readYaml(text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    version: '1.1',
    customTags: yaml11WithoutDatesAndBase60,
  });
  return { doc, lines };
}

export function parseSource(text: string): ParsedSource {
  const template = TEMPLATE_RE.exec(text);
  if (template) {
    throw new DeckFileError(`unrendered template ${template[0]}: render the file with decK first`, {
      line: lineAt(text, template.index),
    });
  }

  let yaml: YamlSource | null = null;
  let data: unknown;
  if (/^\ufeff?\s*\{/.test(text)) {
    try {
      data = JSON.parse(text.replace(/^\ufeff/, ''));
    } catch (e) {
      const position = /position (\d+)/.exec((e as Error).message);
      const line = position ? lineAt(text, Number(position[1])) : null;
      throw new DeckFileError(`malformed JSON: ${(e as Error).message}`, { line });
    }
  } else {
    yaml = readYaml(text);
    const first = yaml.doc.errors[0];
    if (first) {
      const line = first.linePos?.[0].line ?? yaml.lines.linePos(first.pos[0]).line;
      throw new DeckFileError(`malformed YAML: ${first.message.split('\n')[0]}`, { line });
    }
    const contents = yaml.doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      throw new DeckFileError('the file is empty');
    }
    data = yaml.doc.toJS({ maxAliasCount: 1000 });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new DeckFileError('a decK file must be a mapping at the top level', { line: 1 });
  }

  function lineOf(path: DocPath, opts: { key?: boolean } = {}): number | null {
    if (!yaml) {
      if (text.length > MAX_LINE_LOOKUP_CHARS) return null;
      yaml = readYaml(text);
    }
    const { doc, lines } = yaml;
    const lineOfNode = (node: unknown): number | null => {
      const range = (node as Node | null)?.range;
      return range ? lines.linePos(range[0]).line : null;
    };
    let node: unknown = doc.contents;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
        if (!pair) return lineOfNode(node);
        if (i === path.length - 1 && opts.key) return lineOfNode(pair.key);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) return lineOfNode(node);
        node = item;
      } else return lineOfNode(node);
    }
    return lineOfNode(node);
  }

  function fail(problem: string, path: DocPath, opts: { key?: boolean } = {}): never {
    throw new DeckFileError(problem, { path: formatPath(path), line: lineOf(path, opts) });
  }

  const record = data as Record<string, unknown>;
  checkFormatVersion(record, fail);
  return { data: record, lineOf, fail };
}

/**
 * decK (go-yaml v2 through sigs.k8s.io/yaml) and Kong (libyaml) read YAML 1.1: `enabled: yes` and
 * `on` are booleans there, so they are here. Neither turns `2024-01-01` into a date or `12:30` into a
 * base-60 number, so those 1.1 tags are left out and such values stay strings.
 */
function yaml11WithoutDatesAndBase60(tags: Tags): Tags {
  return tags.filter(
    (t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME'),
  );
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * `_format_version` is what Kong 3.x accepts (format-version.ts): "3.0", or "1.1" / "2.1", whose route
 * paths are then migrated as Kong migrates them on a declarative load. Kong requires the key, so a file
 * without one is refused (decK would read it as 1.1).
 */
function checkFormatVersion(
  data: Record<string, unknown>,
  fail: (problem: string, path: DocPath, opts?: { key?: boolean }) => never,
): void {
  const version = data._format_version;
  const accepted = FORMAT_VERSIONS.map((v) => `"${v}"`).join(', ');
  if (version === undefined) {
    fail(
      `missing _format_version: a decK file starts with _format_version: "3.0" (Kong takes ${accepted})`,
      [],
    );
  }
  if (typeof version !== 'string') {
    fail(`_format_version must be a string (quote it: "3.0"), got ${JSON.stringify(version)}`, [
      '_format_version',
    ]);
  }
  if (!isFormatVersion(version)) {
    fail(`unsupported _format_version "${version}": Kong 3.x takes ${accepted}`, ['_format_version']);
  }
  migrateToFormat30(data);
}
