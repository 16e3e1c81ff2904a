import { contended } from './contended.ts';
import { failover } from './failover.ts';
import { fairness } from './fairness.ts';
import { handoff } from './handoff.ts';
import { heldLeases } from './held-leases.ts';
import { manyKeys } from './many-keys.ts';
import { openLoop } from './open-loop.ts';
import { recovery } from './recovery.ts';
import type { Scenario } from './scenario.ts';
import { uncontended } from './uncontended.ts';

/** The scenarios in run and report order. */
export const SCENARIOS: readonly Scenario[] = [
  uncontended,
  contended,
  handoff,
  fairness,
  openLoop,
  manyKeys,
  heldLeases,
  recovery,
  failover,
];

/** The scenario called `name`. @throws Error naming the known ones. */
export function scenarioNamed(name: string): Scenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (found === undefined)
    throw new Error(`unknown scenario ${name} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return found;
}
