/**
 * Copying an entity without some top-level fields, fast for the 100k+ rows of a dump. Rows of one kind
 * from one gateway come with the same keys in the same order, so a copier is built once per key order:
 * an object literal (`{id: e.id, name: e.name, …}`), which V8 allocates with its final hidden class in one
 * step, where a key-by-key copy (`out[k] = e[k]`) walks a chain of hidden-class transitions and growing
 * property stores for every row. A row whose keys differ from every known order (another gateway version,
 * a hand-written snapshot) is copied key by key, as before; at most `MAX_ORDERS` orders of at most
 * `MAX_KEYS` keys are compiled per stripper, so a gateway answering odd rows cannot make us compile
 * without bound. Only the top level is touched: nested objects and arrays are shared with the input, as
 * the key-by-key copy always did.
 *
 * The generated source holds nothing but JSON string literals of the row's own key names
 * (`JSON.stringify` escapes quotes, backslashes and control characters), so no key can inject code; a
 * `__proto__` key is never compiled (in a literal it would set the prototype instead of copying) and is
 * copied as an own field.
 */

type Row = Record<string, unknown>;

const MAX_ORDERS = 8;
const MAX_KEYS = 128;

interface Order {
  /** every key of the rows this order copies, in their order (dropped ones included) */
  keys: readonly string[];
  copy: (row: Row) => Row;
}

export class FieldStripper {
  readonly #dropped: ReadonlySet<string>;
  readonly #orders: Order[] = [];
  /** the order that matched last: a dump's rows of one kind nearly always share it */
  #last: Order | undefined;

  constructor(dropped: ReadonlySet<string>) {
    this.#dropped = dropped;
  }

  /** `row` without the dropped fields, as a new object; the input is not changed. */
  strip<T extends Row>(row: T): T {
    return this.#strip(row) as T;
  }

  #strip(row: Row): Row {
    const last = this.#last;
    if (last !== undefined && sameKeys(row, last.keys)) return last.copy(row);
    for (const order of this.#orders) {
      if (order !== last && sameKeys(row, order.keys)) {
        this.#last = order;
        return order.copy(row);
      }
    }
    const learned = this.#learn(row);
    return learned ? learned.copy(row) : this.#copyKeyByKey(row);
  }

  #learn(row: Row): Order | undefined {
    if (this.#orders.length >= MAX_ORDERS) return undefined;
    const keys: string[] = [];
    for (const key in row) {
      if (key === '__proto__' || keys.length >= MAX_KEYS) return undefined;
      keys.push(key);
    }
    const members = keys
      .filter((k) => !this.#dropped.has(k))
      .map((k) => `${JSON.stringify(k)}: row[${JSON.stringify(k)}]`);
    const copy = new Function('row', `return { ${members.join(', ')} };`) as (row: Row) => Row;
    const order = { keys, copy };
    this.#orders.push(order);
    this.#last = order;
    return order;
  }

  #copyKeyByKey(row: Row): Row {
    const out: Row = {};
    // for…in over a plain (JSON-parsed) object: no inherited keys, and ~40 % faster than Object.keys
    // (it allocates no key array per row)
    for (const key in row) {
      if (this.#dropped.has(key)) continue;
      // `out.__proto__ = …` would set the copy's prototype: a JSON key of that name stays a plain field
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value: row[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[key] = row[key];
    }
    return out;
  }
}

/** whether `row`'s own enumerable keys are exactly `keys`, in that order */
function sameKeys(row: Row, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in row) {
    if (keys[i] !== key) return false;
    i++;
  }
  return i === keys.length;
}
