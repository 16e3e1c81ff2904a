import type { BenchResults, Entry, MechanismInfo } from '../results/schema.ts';

/** Finds entries of a results document. */
export class Lookup {
  constructor(readonly results: BenchResults) {}

  /** Mechanisms that ran, in the run's order. */
  get ran(): MechanismInfo[] {
    return this.results.mechanisms.filter((m) => m.status === 'ran');
  }

  mechanism(name: string): MechanismInfo | undefined {
    return this.results.mechanisms.find((m) => m.name === name);
  }

  /** The entry of `mechanism` in `scenario`; the first variant unless `variant` is given. */
  entry(mechanism: string, scenario: string, variant?: string): Entry | undefined {
    return this.results.entries.find(
      (e) =>
        e.mechanism === mechanism &&
        e.scenario === scenario &&
        (variant === undefined || e.variant === variant),
    );
  }

  /** A figure of an `ok` entry, or null. */
  metric(mechanism: string, scenario: string, metric: string, variant?: string): number | null {
    const e = this.entry(mechanism, scenario, variant);
    if (e === undefined || e.status !== 'ok') return null;
    const v = e.metrics[metric];
    return v === undefined || v === null || Number.isNaN(v) ? null : v;
  }

  /** Variants of a scenario in the order they ran. */
  variants(scenario: string): string[] {
    return [...new Set(this.results.entries.filter((e) => e.scenario === scenario).map((e) => e.variant))];
  }

  /** Entries of a scenario (all mechanisms, all variants). */
  entries(scenario: string): Entry[] {
    return this.results.entries.filter((e) => e.scenario === scenario);
  }
}
