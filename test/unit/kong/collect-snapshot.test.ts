import { describe, expect, it } from 'vitest';
import { collectSnapshot } from '../../../src/kong/dump.ts';
import { TEST_META as META } from '../../support/snapshot-meta.ts';

describe('collectSnapshot (the in-memory sink of dumpGateway)', () => {
  it('counts distinct ids per kind across pages: a repeated id replaces the earlier row and counts once', async () => {
    const counted: Record<string, number> = {};
    const snapshot = await collectSnapshot(async (sink) => {
      sink.add('services', [
        { id: 'a', name: 'one', created_at: 1, updated_at: 1 },
        { id: 'constructor', name: 'odd id', created_at: 1 },
      ]);
      sink.add('services', [{ id: 'a', name: 'one again', created_at: 2 }, { id: 'toString' }]);
      sink.add('routes', []);
      counted.services = sink.close('services');
      counted.routes = sink.close('routes');
      counted.plugins = sink.close('plugins'); // closed without a page
      return META;
    });
    expect(counted).toEqual({ services: 3, routes: 0, plugins: 0 });
    expect(snapshot.entities.services).toEqual({
      a: { id: 'a', name: 'one again' },
      constructor: { id: 'constructor', name: 'odd id' },
      toString: { id: 'toString' },
    });
    expect(snapshot.entities.routes).toEqual({});
    expect(snapshot.entities.plugins).toEqual({});
  });

  it('leaves out a kind that was never closed', async () => {
    const snapshot = await collectSnapshot(async (sink) => {
      sink.add('consumers', [{ id: 'c' }]);
      return META;
    });
    expect(snapshot.entities).toEqual({});
  });
});
