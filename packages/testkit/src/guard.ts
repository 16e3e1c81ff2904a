/**
 * `@locksmith/testkit/guard`: a vitest setup file that fails the run on any unhandled rejection or
 * uncaught exception, in the test during which it surfaced (vitest alone reports them after the
 * run, detached from the test, and can be told to ignore them). Add it to `setupFiles`:
 *
 *   defineProject({ test: { setupFiles: ['@locksmith/testkit/guard'] } })
 *
 * A lock library promises "no unhandled rejection, ever": a failed background renewal must reach
 * the user as `lease.signal` and an `error` event, never as a crash.
 */
import { afterAll, afterEach } from 'vitest';

const GUARD = Symbol.for('locksmith.testkit.guard');

interface GuardState {
  readonly caught: unknown[];
}

function install(): GuardState {
  const holder = globalThis as { [GUARD]?: GuardState };
  const existing = holder[GUARD];
  if (existing !== undefined) return existing;
  const state: GuardState = { caught: [] };
  holder[GUARD] = state;
  process.on('unhandledRejection', (reason) => state.caught.push(reason));
  process.on('uncaughtException', (error) => state.caught.push(error));
  return state;
}

const state = install();

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

async function check(): Promise<void> {
  // Node reports an unhandled rejection after the microtask queue drains: let it surface first.
  await new Promise((resolve) => setImmediate(resolve));
  if (state.caught.length === 0) return;
  const caught = state.caught.splice(0);
  // A plain Error: vitest would print an AggregateError's inner errors without saying who threw it.
  const error = new Error(
    `@locksmith/testkit/guard: ${caught.length} unhandled rejection(s) or uncaught exception(s) during this test:\n` +
      caught.map(describeError).join('\n'),
    { cause: caught[0] },
  );
  error.name = 'UnhandledErrorGuard';
  throw error;
}

afterEach(check);
afterAll(check);
