// `pnpm bench …`: run the bench, compare two runs, re-render a report, list what it knows.
import { join } from 'node:path';
import { repoRoot, resolveReportDir, runMain } from '@locksmith/app-kit';
import { ADAPTERS } from './adapters/registry.ts';
import { parseArgs, USAGE } from './args.ts';
import { compareResults, formatComparison } from './report/compare.ts';
import { benchReadme, publish } from './report/publish.ts';
import { readResults, writeReport } from './report/write-report.ts';
import { runBench } from './runner.ts';
import { SCENARIOS } from './scenarios/registry.ts';

async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseArgs(argv);
  switch (cmd.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'list':
      process.stdout.write('mechanisms:\n');
      for (const a of ADAPTERS) {
        const needs = a.requires.length === 0 ? '' : ` (needs ${a.requires.join(', ')})`;
        process.stdout.write(`  ${a.name.padEnd(22)} ${a.kind.padEnd(9)} ${a.summary}${needs}\n`);
      }
      process.stdout.write('scenarios:\n');
      for (const s of SCENARIOS) process.stdout.write(`  ${s.name.padEnd(22)} ${s.description}\n`);
      return 0;
    case 'compare': {
      const a = await readResults(join(resolveReportDir(cmd.a, 'bench'), 'results.json'));
      const b = await readResults(join(resolveReportDir(cmd.b, 'bench'), 'results.json'));
      process.stdout.write(`${formatComparison(compareResults(a, b), a, b, cmd.all)}\n`);
      return 0;
    }
    case 'report': {
      const dir = resolveReportDir(cmd.dir, 'bench');
      const files = await writeReport(await readResults(join(dir, 'results.json')), dir);
      process.stdout.write(`wrote ${files.markdown}, ${files.html} and ${files.charts.length} charts\n`);
      return 0;
    }
    case 'publish': {
      const dir = resolveReportDir(cmd.dir, 'bench');
      const readme = benchReadme(repoRoot());
      await publish(await readResults(join(dir, 'results.json')), readme);
      process.stdout.write(`${readme}: now shows ${dir}\n`);
      return 0;
    }
    case 'run': {
      await runBench(cmd.options);
      return 0;
    }
  }
}

runMain('bench', main);
