// The apps' flag syntax: `--name value` or `--name=value`, lists separated by commas; and the
// flags every app's run takes.

/**
 * Walks `args` as flags, handing `take` each flag's name and a function that takes its value (the
 * part after `=`, else the next argument). `take` returns false for a flag it does not know.
 * @throws Error `unknown argument "<arg>"`, followed by `usage`, for the first such flag.
 */
export function readFlags(
  args: readonly string[],
  usage: string,
  take: (flag: string, value: () => string | undefined) => boolean,
): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined];
    if (!take(flag, () => inline ?? args[++i]))
      throw new Error(`unknown argument ${JSON.stringify(arg)}\n\n${usage}`);
  }
}

/** The flags every app's run takes, as {@link readRunFlags} sets them. */
export interface RunFlags {
  /** `--quick`: the short run. */
  quick: boolean;
  /** `--id <name>`: the report directory's name instead of a generated one. */
  id?: string;
  /** `--keep-servers`: leave running the servers the run started. */
  keepServers?: boolean;
}

/**
 * {@link readFlags} that sets the flags of {@link RunFlags} in `options` and hands `take` the rest.
 * @throws Error as {@link readFlags}, and {@link reportId}'s for a bad `--id`.
 */
export function readRunFlags(
  args: readonly string[],
  usage: string,
  options: RunFlags,
  take: (flag: string, value: () => string | undefined) => boolean,
): void {
  readFlags(args, usage, (flag, value) => {
    switch (flag) {
      case '--quick':
        options.quick = true;
        return true;
      case '--keep-servers':
        options.keepServers = true;
        return true;
      case '--id':
        options.id = reportId(value());
        return true;
      default:
        return take(flag, value);
    }
  });
}

/**
 * The value of `flag` as an integer from `min` to `max`.
 * @throws Error `<flag>: an integer from <min> to <max>` otherwise.
 */
export function integerIn(flag: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${flag}: an integer from ${min} to ${max}`);
  return n;
}

/**
 * The items of a comma-separated `value` of `flag`; with `known`, each must be one of those.
 * @throws Error naming `flag` when the value is missing or empty, or names something unknown.
 */
export function commaList(flag: string, value: string | undefined, known?: readonly string[]): string[] {
  if (value === undefined || value.startsWith('--'))
    throw new Error(`${flag}: expected a comma-separated list`);
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (known === undefined) {
    if (items.length === 0) throw new Error(`${flag}: expected a comma-separated list`);
    return items;
  }
  const unknown = items.filter((i) => !known.includes(i));
  if (items.length === 0 || unknown.length > 0)
    throw new Error(`${flag}: unknown ${unknown.join(', ') || '(empty)'}; known: ${known.join(', ')}`);
  return items;
}

/**
 * The value of `--id`: a report directory's name, so nothing that could leave the reports directory.
 * @throws Error naming `--id` otherwise.
 */
export function reportId(value: string | undefined): string {
  if (value === undefined || !/^[\w.-]+$/.test(value))
    throw new Error('--id: letters, digits, dot, dash and underscore only');
  return value;
}
