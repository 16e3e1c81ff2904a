import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults } from '../results/schema.ts';
import { findings } from './findings.ts';
import { headlineCells, markdownTable } from './headline.ts';
import { runLine } from './markdown.ts';

const START = '<!-- latest:start -->';
const END = '<!-- latest:end -->';

/** The "published report" section of bench/README.md for a run stored under reports/<id>/. */
export function publishedSection(r: BenchResults): string {
  const o = r.overhead;
  return [
    START,
    `## Published report: [${r.id}](reports/${r.id}/report.md)`,
    '',
    `${runLine(r)}. Charts and every table: [report.md](reports/${r.id}/report.md) · [index.html](reports/${r.id}/index.html) · [results.json](reports/${r.id}/results.json).`,
    '',
    markdownTable(headlineCells(r)),
    '',
    'Medians of the rounds of one run. “× floor” divides by the raw floor of the same backend; hand-off, wait, acquisitions/s and commands per acquisition come from the hand-off scenario (8 worker processes, 1 ms held, 1 ms think); Jain from the tight-loop fairness scenario.',
    '',
    ...findings(r).map((f) => `- ${f}`),
    ...(o === null
      ? []
      : [
          '',
          `Harness overhead: ${o.harnessOpsPerSec.toLocaleString('en-US')} acquire+release/s through the harness vs ${o.tinybenchOpsPerSec.toLocaleString('en-US')}/s timed directly with tinybench (${o.ratio.toFixed(2)}×, limit ${o.limit}).`,
        ]),
    END,
  ].join('\n');
}

/** Replaces the section between the markers of `readme` (bench/README.md) with `r`'s headline. */
export async function publish(r: BenchResults, readme: string): Promise<void> {
  const text = await readFile(readme, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${readme} has no ${START} … ${END} section`);
  await writeFile(readme, `${text.slice(0, a)}${publishedSection(r)}${text.slice(b + END.length)}`);
}

export const benchReadme = (root: string) => join(root, 'bench', 'README.md');
