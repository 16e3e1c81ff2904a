import { commaList, integerIn, readRunFlags } from '@locksmith/app-kit';
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
  /** Leave running the servers the run started (by default it stops them at its end). */
  readonly keepServers?: boolean;
}

export const USAGE = `usage:
  pnpm faults [--backends redis,etcd] [--faults pause,kill] [--quick] [--workers 3] [--id name]
              [--keep-servers]
  pnpm faults report <id|dir>       re-render report.md and report.html from a results.json

  --backends     ${TARGETS.map((t) => t.name).join(', ')} (default: all)
  --faults       ${FAULT_NAMES.join(', ')} (default: all; member kills shared cluster
                 members and runs only with LOCKSMITH_<ETCD|ZOOKEEPER|CONSUL>_MEMBER_FAULTS=1;
                 restart kills a private redis-server or PostgreSQL cluster, but on mysql
                 the shared MariaDB: LOCKSMITH_MYSQL_MEMBER_FAULTS=1)
  --quick        one injection per fault, shorter windows (a few minutes for everything)
  --workers      worker processes per run, 2-16 (default 3)
  --id           name of the report directory under faults/reports/
  --keep-servers leave running the servers the run started (by default it stops them when it ends)

Servers: the LOCKSMITH_* settings when they answer (your own servers), else the launcher's
(\`pnpm backends up\`). latency and cut need toxiproxy (LOCKSMITH_TOXIPROXY_URL).`;

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
  readRunFlags(args, USAGE, options, (flag, value) => {
    switch (flag) {
      case '--backends':
      case '--backend':
        options.backends = commaList(
          flag,
          value(),
          TARGETS.map((t) => t.name),
        );
        break;
      case '--faults':
      case '--fault':
        options.faults = commaList(flag, value(), FAULT_NAMES) as FaultName[];
        break;
      case '--workers':
        options.workers = integerIn(flag, value(), 2, 16);
        break;
      default:
        return false;
    }
    return true;
  });
  return { command: 'run', options };
}
