import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchResults } from '../results/schema.ts';
import { validateResults } from '../results/schema.ts';
import { renderCharts } from './charts.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

/** Files of one report directory. */
export interface ReportFiles {
  readonly dir: string;
  readonly results: string;
  readonly markdown: string;
  readonly html: string;
  readonly charts: readonly string[];
}

/**
 * Writes `dir/results.json`, `dir/charts/*.svg`, `dir/report.md` and `dir/index.html`.
 * @throws Error listing the problems when `results` does not match the schema.
 */
export async function writeReport(results: BenchResults, dir: string): Promise<ReportFiles> {
  const problems = validateResults(results);
  if (problems.length > 0) throw new Error(`results do not match the schema:\n  ${problems.join('\n  ')}`);
  const charts = await renderCharts(results);
  await rm(join(dir, 'charts'), { recursive: true, force: true });
  await mkdir(join(dir, 'charts'), { recursive: true });
  const chartFiles = await Promise.all(
    charts.map(async (c) => {
      const file = join(dir, 'charts', `${c.name}.svg`);
      await writeFile(file, `${c.svg}\n`);
      return file;
    }),
  );
  const files = {
    dir,
    results: join(dir, 'results.json'),
    markdown: join(dir, 'report.md'),
    html: join(dir, 'index.html'),
    charts: chartFiles,
  };
  await writeFile(files.results, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(files.markdown, renderMarkdown(results, charts));
  await writeFile(files.html, renderHtml(results, charts));
  return files;
}

/** Reads and checks a results.json. @throws Error naming the file and its problems. */
export async function readResults(file: string): Promise<BenchResults> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  const problems = validateResults(parsed);
  if (problems.length > 0)
    throw new Error(`${file} is not a version-1 results file:\n  ${problems.slice(0, 10).join('\n  ')}`);
  return parsed as BenchResults;
}
