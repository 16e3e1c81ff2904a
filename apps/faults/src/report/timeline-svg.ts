// One run as a timeline: a lane per worker, each lease a bar from its acquire to its release
// (coloured by how its loss was judged), a mark where lease.signal aborted, a cross where a worker
// was killed, and the fault windows shaded. Plain SVG, no chart library.
import type { FaultRunResult, LeaseRecord } from '@locksmith/testkit';
import { escapeHtml } from './escape-html.ts';

const WIDTH = 960;
const LEFT = 70;
const RIGHT = 16;
const TOP = 34;
const LANE = 20;
const BOTTOM = 46;

const COLOURS: Record<NonNullable<LeaseRecord['verdict']> | 'held', string> = {
  held: '#6b8fb3',
  signalled: '#e69f00',
  'lost-at-first-look': '#8e6bb3',
  silent: '#d62728',
  killed: '#444444',
};

/** A round step for axis ticks: about 8 ticks over `span` ms. */
function tickStep(span: number): number {
  const raw = span / 8;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}

/** The SVG of one run (`title` above it). */
export function timelineSvg(result: FaultRunResult, title: string): string {
  const lanes = [...new Set(result.events.filter((e) => e.type === 'worker-start').map((e) => e.lane))].sort(
    (a, b) => a - b,
  );
  const laneOf = new Map(lanes.map((lane, i) => [lane, i]));
  // From shortly before the first lease (worker start-up is not shown) to the last event.
  const starts = [...result.leases.map((l) => l.acquiredAt), ...result.injections.map((i) => i.startMs)];
  const ends = [
    ...result.leases.map((l) => l.releasingAt ?? l.killedAt ?? l.acquiredAt),
    ...result.injections.map((i) => i.endMs),
    ...result.events.filter((e) => e.type !== 'worker-exit').map((e) => e.t),
  ];
  const first = Math.min(...starts);
  const last = Math.max(...ends, first + 1);
  const t0 = Math.max(0, first - (last - first) * 0.03);
  const t1 = last;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * (WIDTH - LEFT - RIGHT);
  const y = (lane: number) => TOP + (laneOf.get(lane) ?? 0) * LANE;
  const height = TOP + lanes.length * LANE + BOTTOM;
  const parts: string[] = [];
  parts.push(`<title>${escapeHtml(title)}</title>`);
  parts.push(`<text x="${LEFT}" y="16" font-size="13" font-weight="bold">${escapeHtml(title)}</text>`);
  result.injections.forEach((injection, i) => {
    const left = x(injection.startMs);
    const width = Math.max(2, x(injection.endMs) - left);
    parts.push(
      `<rect x="${left.toFixed(1)}" y="${TOP - 6}" width="${width.toFixed(1)}" height="${lanes.length * LANE + 6}" fill="#f4c7c3" opacity="0.6"><title>${escapeHtml(injection.label)}</title></rect>`,
      `<text x="${(left + 2).toFixed(1)}" y="${TOP - 8}" font-size="10" fill="#a33">${i + 1}</text>`,
    );
  });
  for (const lane of lanes) {
    parts.push(
      `<text x="${LEFT - 8}" y="${y(lane) + 13}" font-size="11" text-anchor="end">worker ${lane}</text>`,
    );
  }
  for (const lease of result.leases) {
    const end = lease.releasingAt ?? lease.killedAt ?? t1;
    const left = x(lease.acquiredAt);
    const colour = lease.killedAt === undefined ? COLOURS[lease.verdict ?? 'held'] : COLOURS.killed;
    const tip = `worker ${lease.lane}, token ${lease.token}: ${Math.round(lease.acquiredAt)}–${Math.round(end)} ms${lease.verdict ? ` (${lease.verdict})` : ''}`;
    parts.push(
      `<rect x="${left.toFixed(1)}" y="${y(lease.lane) + 3}" width="${Math.max(1, x(end) - left).toFixed(1)}" height="${LANE - 6}" fill="${colour}"><title>${escapeHtml(tip)}</title></rect>`,
    );
    if (lease.lostAt !== undefined) {
      const lx = x(lease.lostAt).toFixed(1);
      parts.push(
        `<path d="M${lx} ${y(lease.lane)} l-4 -5 h8 z" fill="#d62728"><title>${escapeHtml(`lease.signal aborted (${lease.lostReason}) at ${Math.round(lease.lostAt)} ms`)}</title></path>`,
      );
    }
  }
  for (const e of result.events) {
    if (e.type !== 'worker-exit' || !e.killed) continue;
    const cx = x(e.t);
    const cy = y(e.lane) + LANE / 2;
    parts.push(
      `<path d="M${cx - 5} ${cy - 5} l10 10 m0 -10 l-10 10" stroke="#000" stroke-width="2"><title>worker ${e.lane} killed at ${Math.round(e.t)} ms</title></path>`,
    );
  }
  const axisY = TOP + lanes.length * LANE + 4;
  parts.push(`<line x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}" stroke="#999"/>`);
  const step = tickStep(t1 - t0);
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${axisY + 14}" font-size="10" text-anchor="middle">${(t / 1000).toFixed(step < 1000 ? 1 : 0)} s</text>`,
    );
  }
  const legend: [string, string][] = [
    ['held', COLOURS.held],
    ['superseded, signalled first', COLOURS.signalled],
    ['lost at first look', COLOURS['lost-at-first-look']],
    ['silent loss', COLOURS.silent],
    ['holder killed', COLOURS.killed],
    ['fault', '#f4c7c3'],
  ];
  let lx = LEFT;
  legend.forEach(([label, colour]) => {
    parts.push(`<rect x="${lx}" y="${height - 18}" width="10" height="10" fill="${colour}"/>`);
    parts.push(`<text x="${lx + 14}" y="${height - 9}" font-size="10">${escapeHtml(label)}</text>`);
    lx += 30 + label.length * 6;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">${parts.join('')}</svg>`;
}
