import { describe, expect, it } from 'vitest';
import { validateResults } from '../src/results/schema.ts';
import { fixture } from './fixture.ts';

describe('validateResults', () => {
  it('accepts the fixture', () => {
    expect(validateResults(fixture())).toEqual([]);
  });

  it('names the path of every problem', () => {
    const r = fixture() as unknown as Record<string, unknown> & { entries: Record<string, unknown>[] };
    r.version = 2;
    r.entries[3]!.status = 'great';
    (r.entries[0]!.metrics as Record<string, unknown>).p50Us = 'fast';
    (r.entries[0]!.curve as unknown[])[1] = [99];
    delete r.machine;
    expect(validateResults(r)).toEqual(
      expect.arrayContaining([
        '$.version: must be 1',
        '$.machine: must be an object',
        '$.entries[3].status: must be one of ok, skipped, failed',
        '$.entries[0].metrics.p50Us: must be a finite number',
        '$.entries[0].curve[1]: must be a [percentile, value] pair of numbers',
      ]),
    );
  });

  it('rejects what is not a results document at all', () => {
    expect(validateResults(null)).toEqual(['$: must be an object']);
    expect(validateResults([])).toEqual(['$: must be an object']);
    expect(validateResults({})).toContain('$.schema: must be "locksmith-bench-results"');
  });

  it('allows null figures and a missing overhead check', () => {
    const r = fixture() as unknown as { overhead: unknown; entries: { metrics: Record<string, unknown> }[] };
    r.overhead = null;
    r.entries[0]!.metrics.p50Us = null;
    expect(validateResults(r)).toEqual([]);
  });
});
