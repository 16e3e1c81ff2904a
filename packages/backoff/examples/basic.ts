// A timed spin-wait: poll for something with jittered exponential backoff, bounded by waitMs.
import { constant, exponential, spinUntil } from '@locksmith/backoff';

export async function main(): Promise<string[]> {
  const log: string[] = [];

  // Something that becomes available on the third try (think: a lock file that was just removed).
  const taken = await spinUntil(
    ({ attempt }) => (attempt === 3 ? `taken on attempt ${attempt}` : undefined),
    {
      strategy: exponential({ baseMs: 5, capMs: 100, jitter: 'full' }),
      waitMs: 5_000,
    },
  );
  log.push(String(taken));

  // Never available: resolves undefined at the deadline; the caller raises its own timeout error.
  const never = await spinUntil(() => undefined, { strategy: constant(10, { jitter: 0.5 }), waitMs: 30 });
  log.push(`after waitMs: ${String(never)}`);

  // Aborted: rejects with the signal's reason, even in the middle of a sleep.
  const aborted = await spinUntil(() => undefined, {
    strategy: constant(1_000),
    signal: AbortSignal.timeout(20),
  }).catch((error: Error) => error.name);
  log.push(`aborted: ${String(aborted)}`);
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await main()).join('\n'));
