import { commaList, integerIn, readRunFlags } from '@locksmith/app-kit';

/** What the command line asks for. */
export type Command =
  | { readonly command: 'run'; readonly options: RunArgs }
  | { readonly command: 'compare'; readonly a: string; readonly b: string; readonly all: boolean }
  | { readonly command: 'report'; readonly dir: string }
  | { readonly command: 'publish'; readonly dir: string }
  | { readonly command: 'list' }
  | { readonly command: 'help' };

export interface RunArgs {
  readonly quick: boolean;
  readonly mechanisms?: readonly string[];
  readonly scenarios?: readonly string[];
  readonly workers?: readonly number[];
  readonly durationMs?: number;
  /** Rounds of every timed scenario (default 5, quick 3; open loop 3, quick 1). */
  readonly rounds?: number;
  /** Report directory name instead of the generated `<time>-<mode>`. */
  readonly id?: string;
  /** Leave running the servers the run started (by default it stops them at its end). */
  readonly keepServers?: boolean;
}

export const USAGE = `usage:
  pnpm bench [--quick] [--mechanisms a,b] [--scenarios x,y] [--workers 1,8] [--duration 5s] [--rounds 5] [--id name]
             [--keep-servers]
  pnpm bench compare <a> <b> [--all]   change between two runs (report ids under bench/reports/, or paths)
  pnpm bench report <id|dir>           re-render report.md, charts and index.html from a results.json
  pnpm bench publish <id|dir>          put a report's headline table into bench/README.md
  pnpm bench list                      mechanisms and scenarios

  --quick        about 3 minutes on 2 cores (shorter windows, held leases 1,000 only, one recovery trial)
  --mechanisms   only these mechanisms (see \`pnpm bench list\`)
  --scenarios    only these scenarios
  --workers      worker counts of every multi-worker scenario (default: contended 1,4,16,64; others 8)
  --duration     measured time of every timed scenario: 500ms, 5s or a number of seconds
  --rounds       rounds of every timed scenario (default 5; quick 3): more rounds, tighter spreads
  --id           name of the report directory
  --keep-servers leave running the servers the run started (by default it stops them when it ends)`;

/** Parses `--duration`: `500ms`, `5s`, `1.5` (seconds). @throws Error on anything else. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (m === null) throw new Error(`--duration: expected e.g. 500ms, 5s or 5 (got ${JSON.stringify(text)})`);
  const ms = m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
  if (ms < 100 || ms > 600_000) throw new Error(`--duration: must be between 100ms and 600s (got ${text})`);
  return Math.round(ms);
}

/** Parses the arguments after `bench`. @throws Error with a message for the user. */
export function parseArgs(argv: readonly string[]): Command {
  const args = argv.filter((a) => a !== '--'); // pnpm may pass a separator through
  const [first] = args;
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help' };
  if (first === 'list') return { command: 'list' };
  if (first === 'compare') {
    const rest = args.slice(1);
    const all = rest.includes('--all');
    const ids = rest.filter((a) => a !== '--all');
    if (ids.length !== 2) throw new Error('compare: expected two runs, e.g. `pnpm bench compare <a> <b>`');
    return { command: 'compare', a: ids[0]!, b: ids[1]!, all };
  }
  if (first === 'report' || first === 'publish') {
    if (args.length !== 2) throw new Error(`${first}: expected one report id or directory`);
    return { command: first, dir: args[1]! };
  }
  const rest = first === 'run' ? args.slice(1) : args;
  const options: { -readonly [K in keyof RunArgs]: RunArgs[K] } = { quick: false };
  readRunFlags(rest, USAGE, options, (flag, value) => {
    switch (flag) {
      case '--mechanisms':
      case '--mechanism':
        options.mechanisms = commaList(flag, value());
        break;
      case '--scenarios':
      case '--scenario':
        options.scenarios = commaList(flag, value());
        break;
      case '--workers': {
        const workers = commaList(flag, value()).map(Number);
        if (workers.some((w) => !Number.isInteger(w) || w < 1 || w > 256))
          throw new Error('--workers: integers from 1 to 256');
        options.workers = workers;
        break;
      }
      case '--rounds':
        options.rounds = integerIn(flag, value(), 1, 50);
        break;
      case '--duration':
        options.durationMs = parseDuration(value() ?? '');
        break;
      default:
        return false;
    }
    return true;
  });
  return { command: 'run', options };
}
