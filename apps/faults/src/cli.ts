// `pnpm faults …`: every selected backend under every selected fault, then a report in
// faults/reports/<id>/ (results.json, report.md, report.html, charts/*.svg).
import { join } from 'node:path';
import { parseArgs, USAGE } from './args.ts';
import { reportsDir, resolveReportDir } from './paths.ts';
import { rowsOf } from './report/rows.ts';
import { readResults, writeReport } from './report/write-report.ts';
import { runFaults } from './run-faults.ts';

async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseArgs(argv);
  switch (cmd.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'report': {
      const dir = resolveReportDir(cmd.dir);
      const files = writeReport(readResults(dir), dir, true);
      process.stdout.write(`wrote ${files.join(', ')}\n`);
      return 0;
    }
    case 'run': {
      const results = await runFaults(cmd.options, (line) => process.stdout.write(`${line}\n`));
      const dir = join(reportsDir(), results.id);
      writeReport(results, dir);
      const rows = rowsOf(results);
      const failed = rows.filter((r) => r.verdict === 'FAIL' || r.verdict === 'error');
      for (const r of failed) process.stdout.write(`${r.verdict}: ${r.backend} ${r.fault}: ${r.detail}\n`);
      process.stdout.write(`report: ${join(dir, 'report.html')} (and report.md)\n`);
      return failed.length === 0 ? 0 : 1;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`faults: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
