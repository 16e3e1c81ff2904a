import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults } from '../results/schema.ts';
import { findings } from './findings.ts';
import { headlineCells, headlineNote, markdownTable, overheadLines } from './headline.ts';
import { runLine } from './markdown.ts';
import { perBackendFindings } from './per-backend.ts';

const START = '<!-- latest:start -->';
const END = '<!-- latest:end -->';

/** The "published report" section of bench/README.md for a run stored under reports/<id>/. */
export function publishedSection(r: BenchResults): string {
  return [
    START,
    `## Published report: [${r.id}](reports/${r.id}/report.md)`,
    '',
    `${runLine(r)}. Charts and every table: [report.md](reports/${r.id}/report.md) · [index.html](reports/${r.id}/index.html) · [results.json](reports/${r.id}/results.json).`,
    '',
    markdownTable(headlineCells(r)),
    '',
    headlineNote(r),
    '',
    ...findings(r).map((f) => `- ${f}`),
    '',
    `Per backend (the table is in [report.md](reports/${r.id}/report.md#per-backend)):`,
    '',
    ...perBackendFindings(r).map((f) => `- ${f}`),
    '',
    ...overheadLines(r),
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
