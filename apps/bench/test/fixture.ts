import { readFileSync } from 'node:fs';
import type { BenchResults } from '../src/results/schema.ts';

/** A fresh copy of the tiny results fixture (made-up figures for every scenario). */
export function fixture(): BenchResults {
  return JSON.parse(
    readFileSync(new URL('./fixtures/results.json', import.meta.url), 'utf8'),
  ) as BenchResults;
}
