import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findings } from '../src/report/findings.ts';
import { headlineCells, headlineRows, markdownTable } from '../src/report/headline.ts';
import { perBackendCells, perBackendFindings } from '../src/report/per-backend.ts';
import { publish } from '../src/report/publish.ts';
import { type ReportFiles, readResults, writeReport } from '../src/report/write-report.ts';
import { fixture } from './fixture.ts';

const CHROMIUM = '/usr/bin/chromium';

let dir: string;
let files: ReportFiles;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'locksmith-bench-report-'));
  files = await writeReport(fixture(), dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the report of a results file', () => {
  it('writes results.json (round-trips through the schema), report.md, index.html and one SVG per chart', async () => {
    expect(await readResults(files.results)).toEqual(fixture());
    const charts = (await readdir(join(dir, 'charts'))).sort();
    expect(charts).toEqual(
      [
        'contended-throughput.svg',
        'contended-wait.svg',
        'fairness.svg',
        'handoff.svg',
        'held-leases-cpu.svg',
        'held-leases-round-trips.svg',
        'many-keys.svg',
        'recovery.svg',
        'uncontended-curve.svg',
        'uncontended-latency.svg',
      ].sort(),
    );
    for (const c of charts)
      expect(await readFile(join(dir, 'charts', c), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it('report.md has the headline, the findings, the overhead figures and links every chart', async () => {
    const md = await readFile(files.markdown, 'utf8');
    expect(md).toContain('## Headline');
    expect(md).toMatch(/\| mechanism \| kind \| uncontended p50 \(µs\) \| × floor \|/);
    expect(md).toMatch(/\| redis \| locksmith \| 110\.0 \| 1\.10× \|/);
    expect(md).toContain('## Who wins what');
    expect(md).toContain('## Per backend');
    expect(md).toMatch(/\| redis \| redis \| locksmith \| 110 µs \| 1\.10× \| 1\/2 \|/);
    expect(md).toContain('100,000 acquire+release/s');
    expect(md).toContain('120,000/s');
    expect(md).toContain('redlock | locksmith');
    expect(md).toMatch(/skipped: LOCKSMITH_REDLOCK_URLS is not set/);
    for (const f of files.charts) expect(md).toContain(`(charts/${f.split('/').at(-1)})`);
  });

  it('computes ratios to the floor and names the winners', () => {
    const rows = headlineRows(fixture());
    const redis = rows.find((r) => r.mechanism === 'redis')!;
    expect(redis.ratios.p50).toBeCloseTo(1.1);
    expect(redis.values.jain).toBe(0.999);
    expect(rows.find((r) => r.mechanism === 'redis-floor')!.ratios.p50).toBeNull();
    const said = findings(fixture()).join('\n');
    // Only what works between processes is ranked; one round each, so no spread: no winner is called.
    expect(said).toMatch(
      /The lowest uncontended acquire\+release latency \(p50\) \(uncontended\): no clear winner: \*\*redis\*\*, 110 µs and \*\*redis-semaphore\*\*, 140 µs are within the spread/,
    );
    expect(said).toMatch(
      /^Ranked: the 2 mechanisms that work between processes\. Not ranked: memory, which works inside one process only/,
    );
    expect(said).not.toMatch(/\*\*memory\*\*/);
    expect(said).not.toMatch(/recovery/);
    expect(perBackendFindings(fixture()).join('\n')).toMatch(
      /\*\*redis\*\* against its floor \(redis-floor\): 1\.10× in uncontended p50 \(110 µs vs 100 µs\) and 1\.00× in acquisitions\/s with 8 workers \(450 vs 450\)\. Ranked among the 2 mechanisms on redis: 1st in uncontended p50, tied with redis-semaphore/,
    );
  });

  it('publish puts the headline between the markers of bench/README.md and nowhere else', async () => {
    const readme = join(dir, 'README.md');
    await writeFile(readme, 'intro\n<!-- latest:start -->\nSTALE-SECTION\n<!-- latest:end -->\n\nrest\n');
    await publish(fixture(), readme);
    await publish(fixture(), readme); // twice: replaced, not appended
    const text = await readFile(readme, 'utf8');
    expect(
      text.startsWith(
        'intro\n<!-- latest:start -->\n## Published report: [fixture](reports/fixture/report.md)',
      ),
    ).toBe(true);
    expect(text.endsWith('<!-- latest:end -->\n\nrest\n')).toBe(true);
    expect(text).not.toContain('STALE-SECTION');
    expect(text.match(/latest:start/g)).toHaveLength(1);
    expect(text).toMatch(/\| redis \| locksmith \| 110\.0 \| 1\.10× \|/);
  });

  it('gives each figure its spread and each ratio a bootstrap interval, calls a winner only beyond the spread, and flags an impossible ratio', () => {
    const base = fixture();
    const rounds = (mechanism: string, p50: number[]) => (e: (typeof base.entries)[number]) =>
      e.mechanism === mechanism && e.scenario === 'uncontended'
        ? { ...e, perRound: { p50Us: p50, commandsSentPerOp: p50.map(() => 2) } }
        : e;
    const r = {
      ...base,
      entries: base.entries
        .map(rounds('redis', [100, 105, 110, 112, 120]))
        .map(rounds('redis-floor', [180, 190, 200, 210, 220]))
        .map(rounds('redis-semaphore', [130, 135, 140, 145, 150]))
        .map((e) =>
          e.scenario === 'uncontended' && e.mechanism === 'redis-floor'
            ? { ...e, metrics: { ...e.metrics, p50Us: 200, commandsSentPerOp: 2 } }
            : e.scenario === 'uncontended' && e.mechanism === 'redis'
              ? { ...e, metrics: { ...e.metrics, commandsSentPerOp: 2 } }
              : e,
        ),
    };
    const redis = headlineRows(r).find((x) => x.mechanism === 'redis')!;
    expect(redis.ratios.p50).toBeCloseTo(0.55);
    const [lo, hi] = redis.ratioIntervals.p50!;
    expect(lo).toBeLessThan(0.55);
    expect(hi).toBeGreaterThan(0.5);
    expect(redis.noise).toEqual(['p50']); // below the floor while sending as many commands
    expect(markdownTable(headlineCells(r))).toMatch(
      /\| redis \| locksmith \| 110\.0 \(100\.0–120\.0\) \| 0\.55× \(0\.\d\d–0\.\d\d\) ⚠ noise \|/,
    );
    expect(findings(r).join('\n')).toMatch(
      /\(uncontended\): \*\*redis\*\*, 110 µs \(next: redis-semaphore, 140 µs; the rounds do not overlap\)/,
    );
    // Ranks among the mechanisms on one server are claimed only beyond the spread of the rounds.
    const table = perBackendCells(r);
    const row = (name: string) => table.find((cells) => cells[1] === name)!;
    expect(row('redis').slice(3, 6)).toEqual(['110 µs', '0.55×', '1/2']);
    expect(row('redis-semaphore').slice(3, 6)).toEqual(['140 µs', '0.70×', '2/2']);
    expect(row('redis-floor').slice(3, 6)).toEqual(['200 µs', '–', '–']);
    expect(perBackendFindings(r).join('\n')).toMatch(
      /Ranked among the 2 mechanisms on redis: 1st in uncontended p50;/,
    );
  });

  it.skipIf(!existsSync(CHROMIUM) && process.env.CI === undefined)(
    'index.html renders every chart in headless Chromium without a page error',
    async () => {
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning')
            problems.push(`console ${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
        await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });
        const charts = await page.$$eval('figure.chart', (figures) =>
          figures.map((f) => {
            const svg = f.querySelector('svg');
            const box = svg?.getBoundingClientRect();
            return {
              name: f.getAttribute('data-chart'),
              width: box?.width ?? 0,
              height: box?.height ?? 0,
              marks: svg?.querySelectorAll('path, rect, line, circle').length ?? 0,
            };
          }),
        );
        expect(charts.map((c) => `${c.name}.svg`).sort()).toEqual(
          files.charts.map((f) => f.split('/').at(-1)).sort(),
        );
        for (const c of charts) {
          expect(c.width, `${c.name} width`).toBeGreaterThan(100);
          expect(c.height, `${c.name} height`).toBeGreaterThan(50);
          expect(c.marks, `${c.name} marks`).toBeGreaterThan(5);
        }
        expect(await page.locator('table').count()).toBeGreaterThan(5);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});

describe('who wins what', () => {
  it('ranks a machine-wide mechanism with the network ones, marked, and never an in-process one or a floor', () => {
    const base = fixture();
    const r = {
      ...base,
      mechanisms: base.mechanisms.map((m) =>
        m.name === 'redis-semaphore' ? { ...m, name: 'file', backend: 'file', scope: 'machine' as const } : m,
      ),
      entries: base.entries.map((e) => (e.mechanism === 'redis-semaphore' ? { ...e, mechanism: 'file' } : e)),
    };
    const said = findings(r);
    expect(said[0]).toBe(
      'Ranked: the 2 mechanisms that work between processes (file only between processes of one machine). Not ranked: memory, which works inside one process only (compared with its floor under “Per backend”), and the floors, which are baselines.',
    );
    expect(said.join('\n')).toMatch(/\*\*file\*\* \(one machine\), 140 µs/);
    expect(said.join('\n')).not.toMatch(/\*\*(memory|redis-floor|memory-floor)\*\*/);
    // Each backend is its own group in the per-backend table, floor first.
    expect(perBackendCells(r).map((c) => `${c[0]} ${c[1]}`)).toEqual([
      'backend mechanism',
      'memory memory-floor',
      'memory memory',
      'redis redis-floor',
      'redis redis',
      'file file',
    ]);
  });
});
