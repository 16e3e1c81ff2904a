import { formatMetric } from '../results/metrics.ts';
import type { BenchResults } from '../results/schema.ts';
import { SCENARIOS } from '../scenarios/registry.ts';
import type { RenderedChart } from './charts.ts';
import { findings } from './findings.ts';
import { headlineCells, markdownTable } from './headline.ts';
import { scenarioTable } from './tables.ts';

/** A line on where and how the run was made. */
export function runLine(r: BenchResults): string {
  const git =
    r.versions.git === null
      ? 'no git'
      : `commit ${r.versions.git.commit.slice(0, 10)}${r.versions.git.dirty ? ' (with local changes)' : ''}`;
  return `${r.mode} run of ${(r.durationSec / 60).toFixed(1)} min, ${r.startedAt}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${(r.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${r.machine.os}, Node ${r.versions.node}, ${git}`;
}

/** report.md: headline, findings, harness check, a section per scenario with its chart(s), mechanisms, versions. */
export function renderMarkdown(r: BenchResults, charts: readonly RenderedChart[]): string {
  const out: string[] = [];
  out.push(`# locksmith bench: ${r.id}`, '', `${runLine(r)}.`, '');
  out.push('## Headline', '', markdownTable(headlineCells(r)), '');
  out.push(
    'Medians of one run. Latencies are acquire+release round trips; “× floor” divides by the raw floor of the same backend; hand-off, wait, throughput and commands come from the hand-off scenario (8 worker processes, 1 ms held, 1 ms think).',
    '',
  );
  const said = findings(r);
  if (said.length > 0) out.push('## Who wins what', '', ...said.map((s) => `- ${s}`), '');
  if (r.overhead !== null) {
    const o = r.overhead;
    out.push(
      '## Harness overhead',
      '',
      `The in-process lock (${o.mechanism}) through the harness: ${formatMetric('opsPerSec', o.harnessOpsPerSec)} acquire+release/s; the same operation timed directly with tinybench: ${formatMetric('opsPerSec', o.tinybenchOpsPerSec)}/s. Ratio ${o.ratio.toFixed(2)} (limit ${o.limit}): ${o.pass ? 'the harness is not the bottleneck' : '**the harness is the bottleneck**'}.`,
      '',
    );
  }
  for (const s of SCENARIOS) {
    const table = scenarioTable(r, s.name);
    if (table.cells.length <= 1) continue;
    out.push(`## ${s.title}`, '', s.description, '', markdownTable(table.cells), '');
    if (table.notes.length > 0) out.push(...table.notes.map((n) => `- ${n}`), '');
    for (const c of charts.filter((c) => c.scenario === s.name))
      out.push(`![${c.title}](charts/${c.name}.svg)`, '');
  }
  if (r.notes.length > 0) out.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  out.push('## Mechanisms', '', '| mechanism | kind | what it is | status |', '|---|---|---|---|');
  for (const m of r.mechanisms) {
    const status = m.status === 'ran' ? 'ran' : `skipped: ${m.reason ?? ''}`;
    out.push(
      `| ${m.name} | ${m.kind} | ${m.summary.replace(/\|/g, '\\|')} | ${status.replace(/\|/g, '\\|')} |`,
    );
  }
  out.push('', '## Versions', '');
  out.push(`- Node ${r.versions.node}`);
  for (const [name, v] of Object.entries(r.versions.servers)) out.push(`- server ${name}: ${v}`);
  for (const [name, v] of Object.entries(r.versions.packages)) out.push(`- ${name} ${v}`);
  out.push(
    '',
    `Parameters and every figure: [results.json](results.json). Interactive page: [index.html](index.html).`,
    '',
  );
  return out.join('\n');
}
