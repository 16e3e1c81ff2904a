import { describe, expect, it } from 'vitest';
import { parseArgs, parseDuration } from '../src/args.ts';
import { parseCommandCalls, parseInfoField } from '../src/server-counters.ts';

describe('parseArgs', () => {
  it('reads a narrowed run', () => {
    expect(
      parseArgs([
        '--quick',
        '--mechanisms',
        'redis,memory',
        '--scenarios=handoff',
        '--workers',
        '1,8',
        '--duration',
        '2s',
      ]),
    ).toEqual({
      command: 'run',
      options: {
        quick: true,
        mechanisms: ['redis', 'memory'],
        scenarios: ['handoff'],
        workers: [1, 8],
        durationMs: 2000,
      },
    });
    expect(parseArgs([])).toEqual({ command: 'run', options: { quick: false } });
    expect(parseArgs(['--', '--quick'])).toEqual({ command: 'run', options: { quick: true } });
    expect(parseArgs(['--keep-servers'])).toEqual({
      command: 'run',
      options: { quick: false, keepServers: true },
    });
  });

  it('reads compare, report, list and help', () => {
    expect(parseArgs(['compare', 'a', 'b'])).toEqual({ command: 'compare', a: 'a', b: 'b', all: false });
    expect(parseArgs(['compare', 'a', '--all', 'b'])).toEqual({
      command: 'compare',
      a: 'a',
      b: 'b',
      all: true,
    });
    expect(parseArgs(['report', 'x'])).toEqual({ command: 'report', dir: 'x' });
    expect(parseArgs(['publish', 'x'])).toEqual({ command: 'publish', dir: 'x' });
    expect(parseArgs(['list'])).toEqual({ command: 'list' });
    expect(parseArgs(['--help'])).toEqual({ command: 'help' });
  });

  it('rejects what it does not understand, saying what is wrong', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
    expect(() => parseArgs(['--workers', '0'])).toThrow(/--workers/);
    expect(() => parseArgs(['--mechanisms'])).toThrow(/comma-separated/);
    expect(() => parseArgs(['compare', 'a'])).toThrow(/two runs/);
    expect(() => parseArgs(['--id', '../x'])).toThrow(/--id/);
  });
});

describe('parseDuration', () => {
  it('takes ms, s or plain seconds within bounds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2.5s')).toBe(2500);
    expect(parseDuration('3')).toBe(3000);
    expect(() => parseDuration('10ms')).toThrow(/between/);
    expect(() => parseDuration('soon')).toThrow(/expected/);
  });
});

describe('Redis INFO parsing', () => {
  const info = [
    '# Commandstats',
    'cmdstat_set:calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0',
    'cmdstat_evalsha:calls=5,usec=20,usec_per_call=4.00,rejected_calls=0,failed_calls=0',
    'cmdstat_info:calls=99,usec=20,usec_per_call=4.00,rejected_calls=0,failed_calls=0',
    'cmdstat_client|setname:calls=3,usec=1,usec_per_call=0.3,rejected_calls=0,failed_calls=0',
    '# Stats',
    'total_reads_processed:1234',
  ].join('\r\n');

  it('sums locking commands and leaves out the bench’s own', () => {
    expect(parseCommandCalls(info)).toBe(15);
    expect(parseInfoField(info, 'total_reads_processed')).toBe(1234);
    expect(parseInfoField(info, 'missing_field')).toBe(0);
  });
});
