import { describe, expect, it } from 'vitest';
import { conformanceCases } from '../src/conformance.ts';
import { validateConformanceOptions } from '../src/conformance-options.ts';
import { queueLock } from './fixtures/toy-locks.ts';

const createClient = () => queueLock();

describe('runConformance options', () => {
  it('accepts the documented shape', () => {
    const options = {
      name: 'x',
      createClient,
      faults: { loseLease: async () => undefined },
      holder: { module: '/abs/holder.mjs', exportName: 'createClient', env: { A: '1' } },
      skip: undefined,
      ttlScale: 2,
    };
    expect(validateConformanceOptions(options)).toBe(options);
  });

  it('names the bad option', () => {
    const cases: [unknown, string][] = [
      [{ createClient }, 'options.name'],
      [{ name: 'x' }, 'options.createClient'],
      [{ name: 'x', createClient, ttlScale: 0 }, 'options.ttlScale'],
      [{ name: 'x', createClient, ttlScale: Number.NaN }, 'options.ttlScale'],
      [{ name: 'x', createClient, skip: 1 }, 'options.skip'],
      [{ name: 'x', createClient, faults: { loseLease: 1 } }, 'options.faults.loseLease'],
      [{ name: 'x', createClient, faults: { kill: () => undefined } }, 'options.faults.kill'],
      [{ name: 'x', createClient, holder: {} }, 'options.holder.module'],
      [{ name: 'x', createClient, holder: { module: 'm', exports: 'y' } }, 'options.holder.exports'],
      [{ name: 'x', createClient, timeScale: 2 }, 'options.timeScale'],
      ['x', 'options'],
    ];
    for (const [options, argument] of cases) {
      expect(() => validateConformanceOptions(options), argument).toThrow(
        expect.objectContaining({ argument }),
      );
    }
  });

  it('has unique case titles (each is its own it)', () => {
    const titles = conformanceCases.map((c) => c.title);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles.length).toBeGreaterThanOrEqual(20);
  });
});
