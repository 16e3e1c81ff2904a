// `pnpm faults …`: every selected backend under every selected fault, then a report in
// faults/reports/<id>/ (results.json, report.md, report.html, charts/*.svg).
import { resolveReportDir, runMain } from '@locksmith/app-kit';
import { parseArgs, USAGE } from './args.ts';
import { readResults, writeReport } from './report/write-report.ts';
import { runFaults } from './run-faults.ts';

async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseArgs(argv);
  switch (cmd.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'report': {
      const dir = resolveReportDir(cmd.dir, 'faults');
      const files = writeReport(readResults(dir), dir, true);
      process.stdout.write(`wrote ${files.join(', ')}\n`);
      return 0;
    }
    case 'run':
      return runFaults(cmd.options, (line) => process.stdout.write(`${line}\n`));
  }
}

runMain('faults', main);
