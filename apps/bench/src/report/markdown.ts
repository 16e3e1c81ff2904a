import type { BenchResults } from '../results/schema.ts';
import { SCENARIOS } from '../scenarios/registry.ts';
import type { RenderedChart } from './charts.ts';
import { findings } from './findings.ts';
import { headlineCells, headlineNote, markdownTable, overheadLines } from './headline.ts';
import { PER_BACKEND_NOTE, perBackendCells, perBackendFindings } from './per-backend.ts';
import { scenarioTable } from './tables.ts';

/** A line on where and how the run was made. */
export function runLine(r: BenchResults): string {
  const git =
    r.versions.git === null
      ? 'no git'
      : `commit ${r.versions.git.commit.slice(0, 10)}${r.versions.git.dirty ? ' (with local changes)' : ''}`;
  const m = r.machine;
  const vm =
    m.virtualization === undefined
      ? ''
      : `, ${m.virtualization === 'none' ? 'bare metal' : `virtualized: ${m.virtualization}`}`;
  const detail = m.cpuDetail === undefined ? '' : ` (${m.cpuDetail})`;
  return `${r.mode} run of ${(r.durationSec / 60).toFixed(1)} min, ${r.startedAt}, ${m.cpus} × ${m.cpuModel}${detail}${vm}, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, ${m.os}, load ${m.loadAverage.join(' / ')} at the end, Node ${r.versions.node}, ${git}`;
}

/** report.md: headline, findings, harness check, a section per scenario with its chart(s), mechanisms, versions. */
export function renderMarkdown(r: BenchResults, charts: readonly RenderedChart[]): string {
  const out: string[] = [];
  out.push(`# locksmith bench: ${r.id}`, '', `${runLine(r)}.`, '');
  out.push('## Headline', '', markdownTable(headlineCells(r)), '');
  out.push(headlineNote(r), '');
  const said = findings(r);
  if (said.length > 0) out.push('## Who wins what', '', ...said.map((s) => `- ${s}`), '');
  const backends = perBackendCells(r);
  if (backends.length > 1) {
    out.push('## Per backend', '', PER_BACKEND_NOTE, '', markdownTable(backends, 3), '');
    out.push(...perBackendFindings(r).map((s) => `- ${s}`), '');
  }
  const overhead = overheadLines(r);
  if (overhead.length > 0) out.push('## Harness overhead', '', ...overhead, '');
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
