import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OverlapDetector } from '../src/overlap-detector.ts';

describe('OverlapDetector', () => {
  it('counts nothing for strictly sequential holders', () => {
    const detector = new OverlapDetector();
    for (let i = 0; i < 5; i += 1) {
      expect(detector.enter(`h${i}`)).toBe(false);
      detector.exit(`h${i}`);
    }
    expect(detector.overlaps).toBe(0);
    expect(detector.maxInside).toBe(1);
    expect(detector.entries).toBe(5);
  });

  it('counts every entry that finds someone inside', () => {
    const detector = new OverlapDetector();
    detector.enter('a');
    expect(detector.enter('b')).toBe(true);
    expect(detector.enter('c')).toBe(true);
    detector.exit('a');
    detector.exit('b');
    expect(detector.inside).toBe(1);
    expect(detector.overlaps).toBe(2);
    expect(detector.maxInside).toBe(3);
  });

  it('rejects a holder entering twice (broken bookkeeping) and ignores unknown exits', () => {
    const detector = new OverlapDetector();
    detector.enter('a');
    expect(() => detector.enter('a')).toThrow(/twice/);
    detector.exit('nobody');
    expect(detector.inside).toBe(1);
  });

  it('matches a model on random interleavings', () => {
    // Each holder enters once and exits once; the model counts entries while the set is non-empty.
    const schedule = fc
      .uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 })
      .chain((ids) =>
        fc.shuffledSubarray(
          ids.flatMap((id) => [`+${id}`, `-${id}`]),
          { minLength: ids.length * 2, maxLength: ids.length * 2 },
        ),
      )
      .filter((events) => events.every((e, i) => !e.startsWith('-') || events.indexOf(`+${e.slice(1)}`) < i));
    fc.assert(
      fc.property(schedule, (events) => {
        const detector = new OverlapDetector();
        const inside = new Set<string>();
        let overlaps = 0;
        let max = 0;
        for (const event of events) {
          const id = event.slice(1);
          if (event.startsWith('+')) {
            if (inside.size > 0) overlaps += 1;
            inside.add(id);
            max = Math.max(max, inside.size);
            detector.enter(id);
          } else {
            inside.delete(id);
            detector.exit(id);
          }
        }
        expect(detector.overlaps).toBe(overlaps);
        expect(detector.maxInside).toBe(max);
        expect(detector.inside).toBe(0);
      }),
    );
  });
});
