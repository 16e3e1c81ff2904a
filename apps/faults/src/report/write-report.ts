import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultsResults } from '../results.ts';
import { chartsOf } from './charts.ts';
import { htmlReport } from './html.ts';
import { markdownReport } from './markdown.ts';
import { rowsOf } from './rows.ts';

/** Writes results.json (unless `rerender`), report.md, report.html and charts/*.svg into `dir`. */
export function writeReport(results: FaultsResults, dir: string, rerender = false): string[] {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  const rows = rowsOf(results);
  const charts = chartsOf(results);
  const written: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    written.push(join(dir, name));
  };
  if (!rerender) write('results.json', `${JSON.stringify(results, null, 1)}\n`);
  write('report.md', markdownReport(results, rows, charts));
  write('report.html', htmlReport(results, rows, charts));
  for (const chart of charts) write(chart.file, `${chart.svg}\n`);
  return written;
}

export function readResults(dir: string): FaultsResults {
  return JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as FaultsResults;
}
