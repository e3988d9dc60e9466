import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, selectRetention } from '../../../src/core/retention.ts';

describe('parseDuration', () => {
  it.each([
    ['30d', { years: 0, months: 0, weeks: 0, days: 30, hours: 0 }],
    ['2w', { years: 0, months: 0, weeks: 2, days: 0, hours: 0 }],
    ['1y6m', { years: 1, months: 6, weeks: 0, days: 0, hours: 0 }],
    ['1h', { years: 0, months: 0, weeks: 0, days: 0, hours: 1 }],
    ['2y5m7d3h', { years: 2, months: 5, weeks: 0, days: 7, hours: 3 }],
  ])('%s', (text, fields) => {
    expect(parseDuration(text)).toEqual({ ...fields, text });
  });

  it.each(['', '30', 'd', '3x', '1.5d', '-1d', '1d 2h'])('refuses %j with a hint', (text) => {
    expect(() => parseDuration(text)).toThrow(/is not a duration: use numbers with units/);
  });
});

describe('selectRetention', () => {
  const now = '2026-11-20T12:00:00Z';

  it('refuses an unparseable takenAt naming the backup', () => {
    expect(() => selectRetention([{ id: 'b1', takenAt: 'yesterday', status: 'completed' }], {}, now)).toThrow(
      'backup b1: takenAt "yesterday" is not a date',
    );
  });

  it('keeps pre-restore backups for keepPreRestore (undo stays possible), then lets the rules decide', () => {
    const backups = [
      { id: 'newest', takenAt: '2026-11-20T11:00:00Z', status: 'completed', type: 'scheduled' },
      { id: 'pre-young', takenAt: '2026-11-10T12:00:00Z', status: 'completed', type: 'pre-restore' },
      { id: 'manual-young', takenAt: '2026-11-10T11:00:00Z', status: 'completed', type: 'manual' },
      { id: 'pre-old', takenAt: '2026-10-10T12:00:00Z', status: 'completed', type: 'pre-restore' },
    ];
    const result = selectRetention(backups, { keepWithin: '1d', keepPreRestore: '30d' }, now);
    expect(result.keep).toEqual([
      { id: 'newest', reasons: ['newest', 'within 1d'] },
      { id: 'pre-young', reasons: ['pre-restore, undo possible for 30d (keepPreRestore)'] },
    ]);
    expect(result.remove.map((r) => r.id)).toEqual(['manual-young', 'pre-old']);
    // a safety net, not a rule: an otherwise empty policy still keeps everything
    expect(selectRetention(backups, { keepPreRestore: '30d' }, now).remove).toEqual([]);
  });

  it('keeps a backup taken after now', () => {
    const result = selectRetention(
      [
        { id: 'future', takenAt: '2026-11-21T00:00:00Z', status: 'completed' },
        { id: 'past', takenAt: '2026-11-19T00:00:00Z', status: 'completed' },
        { id: 'older', takenAt: '2026-11-18T00:00:00Z', status: 'completed' },
      ],
      { keepWithin: '1d' },
      now,
    );
    expect(result.keep).toEqual([
      { id: 'future', reasons: ['taken after now', 'within 1d'] },
      { id: 'past', reasons: ['newest', 'within 1d'] },
    ]);
    expect(result.remove).toEqual([{ id: 'older', reason: 'older than 1d before the newest backup' }]);
  });

  // keepWithin is calendar arithmetic on the zone's wall clock (restic: latest.AddDate(0, 0, -1)): across the
  // CET→CEST switch on 2026-03-29, "1 day before 14:00 CEST" is 14:00 CET = 13:00Z, not 12:00Z.
  it.each([
    ['UTC', ['newest', 'candidate']],
    ['Europe/Berlin', ['newest']],
  ])('keepWithin 1d across a DST switch in %s', (timeZone, kept) => {
    const result = selectRetention(
      [
        { id: 'newest', takenAt: '2026-03-29T12:00:00Z', status: 'completed' },
        { id: 'candidate', takenAt: '2026-03-28T12:30:00Z', status: 'completed' },
      ],
      { keepWithin: '1d' },
      '2026-03-30T00:00:00Z',
      { timeZone },
    );
    expect(result.keep.map((k) => k.id)).toEqual(kept);
  });

  const backupArb = fc.uniqueArray(
    fc.record({
      id: fc.uuid(),
      takenAt: fc.date({
        min: new Date('2024-01-01T00:00:00Z'),
        max: new Date('2026-11-20T11:00:00Z'),
        noInvalidDate: true,
      }),
      status: fc.constantFrom('completed', 'completed', 'failed', 'running'),
    }),
    { maxLength: 60, selector: (b) => b.id },
  );
  const policyArb = fc.record({
    keepDaily: fc.integer({ min: 0, max: 10 }),
    keepWeekly: fc.integer({ min: 0, max: 6 }),
    keepMonthly: fc.integer({ min: 0, max: 6 }),
    keepWithin: fc.constantFrom(undefined, '3d', '2w', '1m'),
    minAge: fc.constantFrom(undefined, '1h', '2d'),
  });

  it('never removes the newest completed backup, and every backup lands in exactly one list', () => {
    fc.assert(
      fc.property(
        backupArb,
        policyArb,
        fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata'),
        (bs, p, tz) => {
          const result = selectRetention(bs, p, now, { timeZone: tz });
          const ids = [...result.keep.map((k) => k.id), ...result.remove.map((r) => r.id)];
          expect(ids.sort()).toEqual(bs.map((b) => b.id).sort());
          const newest = bs
            .filter((b) => b.status === 'completed')
            .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime())[0];
          if (newest) expect(result.remove.map((r) => r.id)).not.toContain(newest.id);
          for (const r of result.remove) expect(r.reason.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('keeps at most keepDaily distinct days by the daily rule', () => {
    fc.assert(
      fc.property(backupArb, fc.integer({ min: 1, max: 5 }), (bs, n) => {
        const result = selectRetention(bs, { keepDaily: n }, now);
        const daily = result.keep.flatMap((k) => k.reasons.filter((r) => /^(oldest )?daily /.test(r)));
        expect(daily.length).toBeLessThanOrEqual(n);
      }),
    );
  });
});
