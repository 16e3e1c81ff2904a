import { FAULT_NAMES, type FaultName } from '@locksmith/testkit';
import { TARGETS } from './targets/registry.ts';

/** What `pnpm faults` is asked to do. */
export type Command =
  | { readonly command: 'run'; readonly options: RunArgs }
  | { readonly command: 'report'; readonly dir: string }
  | { readonly command: 'help' };

export interface RunArgs {
  readonly quick: boolean;
  readonly backends: readonly string[];
  readonly faults: readonly FaultName[];
  readonly workers?: number;
  /** Report directory name instead of the generated `<time>-<mode>`. */
  readonly id?: string;
}

export const USAGE = `usage:
  pnpm faults [--backends redis,etcd] [--faults pause,kill] [--quick] [--workers 3] [--id name]
  pnpm faults report <id|dir>       re-render report.md and report.html from a results.json

  --backends   ${TARGETS.map((t) => t.name).join(', ')} (default: all)
  --faults     ${FAULT_NAMES.join(', ')} (default: all; member kills shared cluster
               members and runs only with LOCKSMITH_<ETCD|ZOOKEEPER|CONSUL>_MEMBER_FAULTS=1;
               restart on mysql kills the shared MariaDB: LOCKSMITH_MYSQL_MEMBER_FAULTS=1)
  --quick      one injection per fault, shorter windows (a few minutes for everything)
  --workers    worker processes per run, 2-16 (default 3)
  --id         name of the report directory under faults/reports/

Servers: the LOCKSMITH_* settings when they answer (your own servers), else the launcher's
(\`pnpm backends up\`). latency and cut need toxiproxy (LOCKSMITH_TOXIPROXY_URL).`;

function list(flag: string, value: string | undefined, known: readonly string[]): string[] {
  if (value === undefined || value.startsWith('--'))
    throw new Error(`${flag}: expected a comma-separated list`);
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = items.filter((i) => !known.includes(i));
  if (items.length === 0 || unknown.length > 0)
    throw new Error(`${flag}: unknown ${unknown.join(', ') || '(empty)'}; known: ${known.join(', ')}`);
  return items;
}

/** Parses the arguments after `faults`. @throws Error with a message for the user. */
export function parseArgs(argv: readonly string[]): Command {
  const args = argv.filter((a) => a !== '--'); // pnpm may pass a separator through
  const [first] = args;
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help' };
  if (first === 'report') {
    if (args.length !== 2) throw new Error('report: expected one report id or directory');
    return { command: 'report', dir: args[1]! };
  }
  const options: { -readonly [K in keyof RunArgs]: RunArgs[K] } = {
    quick: false,
    backends: TARGETS.map((t) => t.name),
    faults: FAULT_NAMES,
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.includes('=')
      ? (args[i]!.split('=', 2) as [string, string])
      : [args[i]!, undefined];
    const value = () => inline ?? args[++i];
    switch (flag) {
      case '--quick':
        options.quick = true;
        break;
      case '--backends':
      case '--backend':
        options.backends = list(
          flag,
          value(),
          TARGETS.map((t) => t.name),
        );
        break;
      case '--faults':
      case '--fault':
        options.faults = list(flag, value(), FAULT_NAMES) as FaultName[];
        break;
      case '--workers': {
        const workers = Number(value());
        if (!Number.isInteger(workers) || workers < 2 || workers > 16)
          throw new Error('--workers: an integer from 2 to 16');
        options.workers = workers;
        break;
      }
      case '--id': {
        const id = value();
        if (id === undefined || !/^[\w.-]+$/.test(id))
          throw new Error('--id: letters, digits, dot, dash and underscore only');
        options.id = id;
        break;
      }
      default:
        throw new Error(`unknown argument ${JSON.stringify(args[i])}\n\n${USAGE}`);
    }
  }
  return { command: 'run', options };
}
