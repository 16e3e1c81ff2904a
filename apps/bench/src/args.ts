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

function list(flag: string, value: string | undefined): string[] {
  if (value === undefined || value.startsWith('--'))
    throw new Error(`${flag}: expected a comma-separated list`);
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new Error(`${flag}: expected a comma-separated list`);
  return items;
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
  for (let i = 0; i < rest.length; i++) {
    const [flag, inlineValue] = rest[i]!.includes('=')
      ? (rest[i]!.split('=', 2) as [string, string])
      : [rest[i]!, undefined];
    const value = () => {
      if (inlineValue !== undefined) return inlineValue;
      i += 1;
      return rest[i];
    };
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--keep-servers':
        options.keepServers = true;
        break;
      case '--mechanisms':
      case '--mechanism':
        options.mechanisms = list(flag, value());
        break;
      case '--scenarios':
      case '--scenario':
        options.scenarios = list(flag, value());
        break;
      case '--workers': {
        const workers = list(flag, value()).map(Number);
        if (workers.some((w) => !Number.isInteger(w) || w < 1 || w > 256))
          throw new Error('--workers: integers from 1 to 256');
        options.workers = workers;
        break;
      }
      case '--rounds': {
        const rounds = Number(value());
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50)
          throw new Error('--rounds: an integer from 1 to 50');
        options.rounds = rounds;
        break;
      }
      case '--duration':
        options.durationMs = parseDuration(value() ?? '');
        break;
      case '--id': {
        const id = value();
        if (id === undefined || !/^[\w.-]+$/.test(id))
          throw new Error('--id: letters, digits, dot, dash and underscore only');
        options.id = id;
        break;
      }
      default:
        throw new Error(`unknown argument ${JSON.stringify(rest[i])}\n\n${USAGE}`);
    }
  }
  return { command: 'run', options };
}
