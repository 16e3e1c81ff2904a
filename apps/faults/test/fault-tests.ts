// Registers the fault suite (quick, 2 workers) for backends as vitest tests: one test per backend × fault,
// run side by side, each asserting 0 stale writes accepted, 0 increments lost, 0 silent losses
// (outside a documented gap), 0 unhandled rejections, and a lock free again after the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipReason } from '@locksmith/backends';
import {
  FAULT_NAMES,
  type FaultName,
  type FaultTarget,
  isFaultSkip,
  runFault,
  scaled,
  unsafeCounts,
} from '@locksmith/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { clientModules } from '../src/client-bundle.ts';
import { targetNamed } from '../src/targets/registry.ts';

const REQUIRED = process.env.LOCKSMITH_REQUIRE_BACKENDS === '1';

function entryOf(target: FaultTarget, fault: FaultName): unknown {
  if (fault === 'latency' || fault === 'cut') return target.network;
  return target[fault];
}

// A shared fault kills the servers a target requires, and mysql and mysql-lease require the same
// MariaDB: run side by side, one's restart killed the other's fresh client (ECONNREFUSED) or its
// own restart. So shared-fault runs on the same servers queue up; other targets still overlap.
const turns = new Map<string, Promise<unknown>>();

function inTurn<T>(servers: string, run: () => Promise<T>): Promise<T> {
  const mine = (turns.get(servers) ?? Promise.resolve()).then(run);
  turns.set(servers, mine.catch(String)); // the next one waits for this one, however it ended
  return mine;
}

/**
 * `which`: `'normal'` registers every fault but those that kill the launcher's shared servers
 * (`sharedFaults`: they run in the faults-member project, last); `'shared'` only those.
 */
export async function faultTests(
  names: readonly string[],
  which: 'normal' | 'shared' = 'normal',
): Promise<void> {
  const module = await clientModules();
  const fileDir = mkdtempSync(join(tmpdir(), 'locksmith-faults-test-'));
  afterAll(() => rmSync(fileDir, { recursive: true, force: true }));
  for (const name of names) {
    const definition = targetNamed(name);
    const target = definition.build({ env: process.env, module, fileDir });
    const down = [...definition.requires, 'toxiproxy' as const]
      .map((s) => skipReason(s))
      .find((r) => r !== undefined);
    describe.concurrent(`${name}: fault suite (quick)`, () => {
      for (const fault of FAULT_NAMES) {
        const entry = entryOf(target, fault);
        const shared = definition.sharedFaults?.includes(fault) === true;
        if (which === 'shared' && !shared) continue;
        if (which === 'normal' && shared) {
          it.skip(`${fault}: kills shared servers, so it runs in the faults-member project, last`);
          continue;
        }
        if (isFaultSkip(entry)) {
          it.skip(`${fault}: ${entry.skip}: ${entry.reason}`);
          continue;
        }
        it(
          `${fault}: nothing stale accepted, no increment lost, no silent loss, no unhandled rejection`,
          async (ctx) => {
            const go = () => runFault(target, fault, { quick: true, workers: 2 });
            const outcome = await (shared ? inTurn(definition.requires.join('+'), go) : go());
            if (outcome.status !== 'ran') {
              if (outcome.status === 'error' || REQUIRED)
                throw new Error(`${outcome.status}: ${outcome.reason}`);
              return ctx.skip(
                `${outcome.status}: ${outcome.reason}${down === undefined ? '' : ` (${down})`}`,
              );
            }
            const { counts } = outcome;
            expect(unsafeCounts(outcome), JSON.stringify({ counts, injections: outcome.injections })).toEqual(
              {},
            );
            expect(
              counts.acquisitions,
              'the workers took the lock before and after the fault',
            ).toBeGreaterThan(4);
            expect(outcome.injections.length, 'the fault was injected').toBeGreaterThan(0);
          },
          scaled(180_000),
        );
      }
    });
  }
}
