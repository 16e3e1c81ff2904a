import { FAULT_NAMES } from '@locksmith/testkit';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import { TARGETS } from '../src/targets/registry.ts';

describe('parseArgs', () => {
  it('reads a narrowed run, every backend and fault by default', () => {
    expect(
      parseArgs(['--', '--quick', '--backends', 'redis,file', '--faults=pause', '--workers', '4']),
    ).toEqual({
      command: 'run',
      options: { quick: true, backends: ['redis', 'file'], faults: ['pause'], workers: 4 },
    });
    expect(parseArgs(['--keep-servers', '--id', 'smoke'])).toEqual({
      command: 'run',
      options: {
        quick: false,
        backends: TARGETS.map((t) => t.name),
        faults: FAULT_NAMES,
        id: 'smoke',
        keepServers: true,
      },
    });
    expect(parseArgs(['report', 'x'])).toEqual({ command: 'report', dir: 'x' });
    expect(parseArgs(['-h'])).toEqual({ command: 'help' });
  });

  it('rejects what it does not understand, saying what is wrong', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
    expect(() => parseArgs(['--backends', 'redis,nosql'])).toThrow(
      /--backends: unknown nosql; known: memory/,
    );
    expect(() => parseArgs(['--faults'])).toThrow(/comma-separated/);
    expect(() => parseArgs(['--workers', '1'])).toThrow(/--workers/);
    expect(() => parseArgs(['--id', '../x'])).toThrow(/--id/);
  });
});
