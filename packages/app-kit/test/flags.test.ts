import { describe, expect, it } from 'vitest';
import { commaList, integerIn, type RunFlags, readFlags, readRunFlags, reportId } from '../src/flags.ts';

describe('readFlags', () => {
  const read = (args: string[]) => {
    const seen: [string, string | undefined][] = [];
    readFlags(args, 'usage: x', (flag, value) => {
      if (flag === '--quick') seen.push([flag, undefined]);
      else if (flag === '--id') seen.push([flag, value()]);
      else return false;
      return true;
    });
    return seen;
  };

  it('takes a value after the flag or after `=`, and flags without one', () => {
    expect(read(['--id', 'a', '--quick', '--id=b=c'])).toEqual([
      ['--id', 'a'],
      ['--quick', undefined],
      ['--id', 'b'],
    ]);
    expect(read(['--id'])).toEqual([['--id', undefined]]);
  });

  it('names the first argument it does not know, then the usage', () => {
    expect(() => read(['--quick', '--fast=1'])).toThrow('unknown argument "--fast=1"\n\nusage: x');
  });
});

describe('commaList', () => {
  it('splits, trims and drops empty items', () => {
    expect(commaList('--x', ' a, b,,c ')).toEqual(['a', 'b', 'c']);
  });

  it('wants a value that is not the next flag', () => {
    expect(() => commaList('--x', undefined)).toThrow('--x: expected a comma-separated list');
    expect(() => commaList('--x', '--quick')).toThrow('--x: expected a comma-separated list');
    expect(() => commaList('--x', ',')).toThrow('--x: expected a comma-separated list');
  });

  it('with known names, names the unknown ones and what it knows', () => {
    expect(commaList('--x', 'a', ['a', 'b'])).toEqual(['a']);
    expect(() => commaList('--x', 'a,z', ['a', 'b'])).toThrow('--x: unknown z; known: a, b');
    expect(() => commaList('--x', ',', ['a', 'b'])).toThrow('--x: unknown (empty); known: a, b');
  });
});

describe('reportId', () => {
  it('takes a plain name and nothing that could leave the reports directory', () => {
    expect(reportId('2026-12-02.quick_1')).toBe('2026-12-02.quick_1');
    expect(() => reportId('../x')).toThrow('--id: letters, digits, dot, dash and underscore only');
    expect(() => reportId(undefined)).toThrow(/--id/);
  });
});

describe('readRunFlags', () => {
  it('sets the flags every run takes and hands over the rest', () => {
    const options: RunFlags & { workers?: number } = { quick: false };
    readRunFlags(
      ['--quick', '--id=x', '--workers', '3', '--keep-servers'],
      'usage',
      options,
      (flag, value) => {
        if (flag !== '--workers') return false;
        options.workers = integerIn(flag, value(), 2, 16);
        return true;
      },
    );
    expect(options).toEqual({ quick: true, id: 'x', workers: 3, keepServers: true });
    expect(() => readRunFlags(['--rounds', '2'], 'usage', options, () => false)).toThrow(
      'unknown argument "--rounds"',
    );
  });
});

describe('integerIn', () => {
  it('takes an integer within the bounds, and names the flag and the bounds otherwise', () => {
    expect(integerIn('--rounds', '50', 1, 50)).toBe(50);
    for (const bad of ['0', '51', '2.5', 'x', undefined])
      expect(() => integerIn('--rounds', bad, 1, 50)).toThrow('--rounds: an integer from 1 to 50');
  });
});
