import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { BenchResults } from '../results/schema.ts';
import { Lookup } from './lookup.ts';

type Spec = vl.TopLevelSpec;
type Row = Record<string, string | number>;

/** One chart of the report: an SVG file under charts/. */
export interface ChartDef {
  readonly name: string;
  readonly title: string;
  readonly scenario: string;
  /** The vega-lite spec, or null when the results have no data for it. */
  spec(look: Lookup): Spec | null;
}

const WIDTH = 560;

function mechanismColor(look: Lookup) {
  return {
    field: 'mechanism',
    type: 'nominal',
    title: 'mechanism',
    scale: { domain: look.ran.map((m) => m.name), scheme: 'tableau20' },
    legend: { labelLimit: 240 },
  } as const;
}

/** Rows `{ mechanism, variant, value }` of one metric across the mechanisms that ran. */
function rows(
  look: Lookup,
  scenario: string,
  metric: string,
  extra: (variant: string) => Row = () => ({}),
): Row[] {
  const out: Row[] = [];
  for (const m of look.ran) {
    for (const variant of look.variants(scenario)) {
      const v = look.metric(m.name, scenario, metric, variant);
      if (v !== null && v > 0) out.push({ mechanism: m.name, variant, value: v, ...extra(variant) });
    }
  }
  return out;
}

/**
 * One row per mechanism: bars on a linear scale; on a log scale (where a bar has no baseline) a
 * dot per value with a thin rule from the smallest value shown. Several series (p50/p99) get
 * one colour each.
 */
function bars(look: Lookup, title: string, data: Row[], axis: string, log: boolean): Spec | null {
  if (data.length === 0) return null;
  const series = new Set(data.map((r) => r.series)).size > 1;
  const y = { field: 'mechanism', type: 'nominal', sort: look.ran.map((m) => m.name), title: null } as const;
  const x = {
    field: 'value',
    type: 'quantitative',
    title: axis,
    scale: log ? { type: 'log' } : { zero: true },
  } as const;
  const color = series
    ? { field: 'series', type: 'nominal', title: null, sort: null, legend: { labelLimit: 240 } }
    : { ...mechanismColor(look), legend: null };
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    data: { values: data },
  };
  if (!log) {
    return {
      ...base,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y,
        x,
        color,
        ...(series ? { yOffset: { field: 'series', type: 'nominal', sort: null } } : {}),
      },
    } as Spec;
  }
  const min = Math.min(...data.map((r) => r.value as number));
  return {
    ...base,
    layer: [
      {
        mark: { type: 'rule', color: '#c9ceda' },
        encoding: { y, x: { aggregate: 'max', field: 'value', type: 'quantitative' }, x2: { datum: min } },
      },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1, tooltip: true },
        encoding: { y, x, color },
      },
    ],
  } as Spec;
}

/** Lines of one metric over the numeric variants (`workers=16` → 16). */
function lines(
  look: Lookup,
  title: string,
  scenario: string,
  metric: string,
  axis: string,
  log: boolean,
): Spec | null {
  const data = rows(look, scenario, metric, (variant) => ({ x: Number(variant.split('=')[1]) }));
  if (data.length === 0) return null;
  const xs = [...new Set(data.map((r) => r.x as number))].sort((a, b) => a - b);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: WIDTH,
    data: { values: data },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: 'workers',
        scale: { type: 'log', base: 2 },
        axis: { values: xs },
      },
      y: { field: 'value', type: 'quantitative', title: axis, scale: log ? { type: 'log' } : { zero: true } },
      color: mechanismColor(look),
    },
  } as Spec;
}

export const CHARTS: readonly ChartDef[] = [
  {
    name: 'uncontended-latency',
    title: 'Uncontended acquire+release latency',
    scenario: 'uncontended',
    spec: (look) =>
      bars(
        look,
        'Uncontended acquire+release (µs, log scale)',
        ['p50Us', 'p99Us', 'p999Us'].flatMap((metric) =>
          rows(look, 'uncontended', metric).map((r) => ({
            ...r,
            series: metric.replace('Us', '').replace('p999', 'p99.9'),
          })),
        ),
        'µs',
        true,
      ),
  },
  {
    name: 'uncontended-curve',
    title: 'Uncontended latency by percentile',
    scenario: 'uncontended',
    spec(look) {
      const data: Row[] = [];
      for (const m of look.ran) {
        const e = look.entry(m.name, 'uncontended');
        for (const [p, us] of e?.status === 'ok' ? (e.curve ?? []) : []) {
          if (us > 0)
            data.push({ mechanism: m.name, percentile: p === 100 ? 'max' : `p${p}`, order: p, value: us });
        }
      }
      if (data.length === 0) return null;
      return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: 'Uncontended acquire+release by percentile (µs, log scale)',
        width: WIDTH,
        data: { values: data },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'percentile', type: 'ordinal', sort: { field: 'order' }, title: 'percentile' },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'µs' },
          color: mechanismColor(look),
        },
      } as Spec;
    },
  },
  {
    name: 'contended-throughput',
    title: 'Contended throughput by worker count',
    scenario: 'contended',
    spec: (look) =>
      lines(
        look,
        'Acquisitions per second, one key, 1 ms held + 1 ms think',
        'contended',
        'acquisitionsPerSec',
        'acquisitions/s',
        false,
      ),
  },
  {
    name: 'contended-wait',
    title: 'Acquire-wait p99 by worker count',
    scenario: 'contended',
    spec: (look) => lines(look, 'Acquire-wait p99 (µs, log scale)', 'contended', 'waitP99Us', 'µs', true),
  },
  {
    name: 'handoff',
    title: 'Hand-off latency, 8 workers',
    scenario: 'handoff',
    spec: (look) =>
      bars(
        look,
        'Release → next holder, 8 workers (µs, log scale)',
        ['handoffP50Us', 'handoffP99Us'].flatMap((metric) =>
          rows(look, 'handoff', metric).map((r) => ({
            ...r,
            series: metric.replace('handoff', '').replace('Us', '').toLowerCase(),
          })),
        ),
        'µs',
        true,
      ),
  },
  {
    name: 'fairness',
    title: "Fairness: Jain's index in a tight loop",
    scenario: 'fairness',
    spec: (look) =>
      bars(
        look,
        "Jain's index of acquisitions per worker (1 = equal)",
        rows(look, 'fairness', 'jain'),
        'index',
        false,
      ),
  },
  {
    name: 'open-loop',
    title: 'Open loop: acquire latency against offered load',
    scenario: 'open-loop',
    spec(look) {
      const data: Row[] = [];
      for (const m of look.ran) {
        for (const variant of look.variants('open-loop')) {
          const e = look.entry(m.name, 'open-loop', variant);
          if (e?.status !== 'ok') continue;
          for (const [metric, series] of [
            ['p50Us', 'p50'],
            ['p99Us', 'p99'],
          ] as const) {
            const v = e.metrics[metric];
            const offered = e.metrics.offeredPerSec;
            if (typeof v === 'number' && v > 0 && typeof offered === 'number')
              data.push({
                mechanism: m.name,
                series: `${series}${e.lowerBounds?.includes(metric) ? ' (lower bound)' : ''}`,
                percentile: series,
                offered,
                value: v,
              });
          }
        }
      }
      if (data.length === 0) return null;
      return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: 'Acquire latency from arrival to grant against offered load (µs, log scale; dashed: p50)',
        width: WIDTH,
        height: 360,
        data: { values: data },
        mark: { type: 'line', point: true, tooltip: true },
        encoding: {
          x: { field: 'offered', type: 'quantitative', title: 'offered load (acquisitions/s)' },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'µs' },
          color: mechanismColor(look),
          strokeDash: { field: 'percentile', type: 'nominal', title: 'percentile', sort: ['p99', 'p50'] },
          detail: { field: 'series', type: 'nominal' },
        },
      } as Spec;
    },
  },
  {
    name: 'many-keys',
    title: 'Many keys throughput',
    scenario: 'many-keys',
    spec: (look) =>
      bars(
        look,
        'Acquire+release per second, 8 workers on 1,000 keys',
        rows(look, 'many-keys', 'opsPerSec'),
        'operations/s',
        false,
      ),
  },
  {
    name: 'held-leases-cpu',
    title: 'CPU to keep leases alive',
    scenario: 'held-leases',
    spec: (look) =>
      bars(
        look,
        'CPU of the holding process (% of one core)',
        rows(look, 'held-leases', 'cpuPercent').map((r) => ({ ...r, series: String(r.variant) })),
        '% of one core',
        false,
      ),
  },
  {
    name: 'held-leases-round-trips',
    title: 'Server round trips to keep leases alive',
    scenario: 'held-leases',
    spec: (look) =>
      bars(
        look,
        'Round trips (client socket writes) per TTL (log scale)',
        rows(look, 'held-leases', 'roundTripsPerTtl').map((r) => ({ ...r, series: String(r.variant) })),
        'round trips per TTL',
        true,
      ),
  },
  {
    name: 'recovery',
    title: 'Recovery after SIGKILL of the holder',
    scenario: 'recovery',
    spec: (look) =>
      bars(look, 'Kill of the holder → next holder (ms)', rows(look, 'recovery', 'recoveryMs'), 'ms', false),
  },
  {
    name: 'failover',
    title: 'Leader failover',
    scenario: 'failover',
    spec: (look) =>
      bars(
        look,
        'Leader killed or paused → new leader (ms)',
        rows(look, 'failover', 'electedMs').map((r) => ({ ...r, series: String(r.variant) })),
        'ms',
        false,
      ),
  },
];

/** A rendered chart. */
export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly scenario: string;
  readonly svg: string;
}

/** Renders every chart the results have data for, in Node (vega's headless view, no browser). */
export async function renderCharts(results: BenchResults): Promise<RenderedChart[]> {
  const look = new Lookup(results);
  const out: RenderedChart[] = [];
  for (const chart of CHARTS) {
    const spec = chart.spec(look);
    if (spec === null) continue;
    const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
    try {
      out.push({ name: chart.name, title: chart.title, scenario: chart.scenario, svg: await view.toSVG() });
    } finally {
      view.finalize();
    }
  }
  return out;
}
