/**
 * The results.json of one bench run, version 1. Documented field by field in bench/README.md.
 * A change that removes or renames a field bumps `version`; adding one does not.
 */
export interface BenchResults {
  readonly schema: 'locksmith-bench-results';
  readonly version: 1;
  /** The report directory name: `<UTC time>-<mode>`, e.g. `2026-11-27T01-02-03Z-full`. */
  readonly id: string;
  /** Wall time of the start, ISO 8601 (reported, never used for measuring). */
  readonly startedAt: string;
  readonly durationSec: number;
  readonly mode: 'full' | 'quick' | 'custom';
  readonly machine: MachineInfo;
  readonly versions: Versions;
  readonly params: RunParams;
  readonly mechanisms: readonly MechanismInfo[];
  readonly entries: readonly Entry[];
  /** The harness check: the in-process lock through the harness vs timed directly with tinybench. */
  readonly overhead: OverheadCheck | null;
  /** The same check for every in-process mechanism that ran (memory and memory-floor). */
  readonly overheadChecks?: readonly OverheadCheck[];
  /** What may have disturbed the figures (other clients on the servers, failed steps). */
  readonly notes: readonly string[];
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly os: string;
  readonly loadAverage: readonly number[];
  /** `/proc/cpuinfo` of the first CPU: vendor, family, model, stepping, microcode, MHz, cache. */
  readonly cpuDetail?: string;
  /** Virtual machine or container as detected (`systemd-detect-virt`, DMI, the hypervisor flag), or `none`. */
  readonly virtualization?: string;
}

export interface Versions {
  readonly node: string;
  /** `git rev-parse HEAD` and whether the tree had uncommitted changes. */
  readonly git: { readonly commit: string; readonly dirty: boolean } | null;
  /** npm packages the mechanisms load (client libraries, peers, @locksmith/*), by name. */
  readonly packages: Readonly<Record<string, string>>;
  /** Server versions by backend (`redis`: from INFO server). */
  readonly servers: Readonly<Record<string, string>>;
}

export interface RunParams {
  readonly scenarios: readonly string[];
  readonly mechanisms: readonly string[];
  /** Per scenario: the parameters it ran with (durations, workers, critical section, TTL…). */
  readonly scenarioParams: Readonly<
    Record<string, Readonly<Record<string, number | string | readonly number[]>>>
  >;
}

export interface MechanismInfo {
  readonly name: string;
  readonly backend: string;
  readonly kind: 'locksmith' | 'floor' | 'peer';
  /** `process`: the lock lives in one process; `machine`: shared by a machine's processes; `network`: a server. */
  readonly scope: 'process' | 'machine' | 'network';
  /** The floor this mechanism is compared with (`redis-floor`), if any. */
  readonly floor: string | null;
  readonly summary: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly status: 'ran' | 'skipped';
  readonly reason: string | null;
}

export interface Entry {
  readonly mechanism: string;
  readonly scenario: string;
  /** Which variant of the scenario, e.g. `workers=16` or `leases=10000`; `''` when it has one. */
  readonly variant: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason: string | null;
  /** Figures by name (see METRICS); `null` where the mechanism has no such figure. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** `[percentile, µs]` pairs of the main latency distribution, when the scenario has one. */
  readonly curve: readonly (readonly [number, number])[] | null;
  /** Each figure's value in every round, in the order the rounds ran (absent with one round). */
  readonly perRound?: Readonly<Record<string, readonly (number | null)[]>>;
  /** Figures that are only lower bounds: a censored wait (still pending at the window's end) could be longer. */
  readonly lowerBounds?: readonly string[];
}

export interface OverheadCheck {
  readonly mechanism: string;
  readonly harnessOpsPerSec: number;
  readonly tinybenchOpsPerSec: number;
  /** tinybench ÷ harness; the harness is not the bottleneck while this is at most `limit`. */
  readonly ratio: number;
  readonly limit: number;
  readonly pass: boolean;
}

const MODES = ['full', 'quick', 'custom'];
const KINDS = ['locksmith', 'floor', 'peer'];
const ENTRY_STATUS = ['ok', 'skipped', 'failed'];

/**
 * Checks that `value` is a version-1 results document. Returns the problems found, each naming
 * the path of the field (`entries[3].metrics.p50Us`); an empty list means valid.
 */
export function validateResults(value: unknown): string[] {
  const errors: string[] = [];
  const v = new Checker(errors);
  if (!v.object('$', value)) return errors;
  const r = value as Record<string, unknown>;
  v.equal('$.schema', r.schema, 'locksmith-bench-results');
  v.equal('$.version', r.version, 1);
  v.string('$.id', r.id);
  v.string('$.startedAt', r.startedAt);
  v.number('$.durationSec', r.durationSec);
  v.oneOf('$.mode', r.mode, MODES);
  if (v.object('$.machine', r.machine)) {
    const m = r.machine as Record<string, unknown>;
    v.string('$.machine.cpuModel', m.cpuModel);
    v.number('$.machine.cpus', m.cpus);
    v.number('$.machine.memoryBytes', m.memoryBytes);
    v.string('$.machine.os', m.os);
    v.array('$.machine.loadAverage', m.loadAverage, (p, x) => v.number(p, x));
  }
  if (v.object('$.versions', r.versions)) {
    const ver = r.versions as Record<string, unknown>;
    v.string('$.versions.node', ver.node);
    if (ver.git !== null && v.object('$.versions.git', ver.git)) {
      const g = ver.git as Record<string, unknown>;
      v.string('$.versions.git.commit', g.commit);
      v.boolean('$.versions.git.dirty', g.dirty);
    }
    v.record('$.versions.packages', ver.packages, (p, x) => v.string(p, x));
    v.record('$.versions.servers', ver.servers, (p, x) => v.string(p, x));
  }
  if (v.object('$.params', r.params)) {
    const p = r.params as Record<string, unknown>;
    v.array('$.params.scenarios', p.scenarios, (q, x) => v.string(q, x));
    v.array('$.params.mechanisms', p.mechanisms, (q, x) => v.string(q, x));
    v.record('$.params.scenarioParams', p.scenarioParams, (q, x) => v.object(q, x));
  }
  v.array('$.mechanisms', r.mechanisms, (p, x) => {
    if (!v.object(p, x)) return;
    const m = x as Record<string, unknown>;
    v.string(`${p}.name`, m.name);
    v.string(`${p}.backend`, m.backend);
    v.oneOf(`${p}.kind`, m.kind, KINDS);
    v.oneOf(`${p}.scope`, m.scope, ['process', 'machine', 'network']);
    v.nullable(`${p}.floor`, m.floor, (q, y) => v.string(q, y));
    v.string(`${p}.summary`, m.summary);
    v.record(`${p}.settings`, m.settings, (q, y) => {
      if (!['string', 'number', 'boolean'].includes(typeof y))
        errors.push(`${q}: must be a string, number or boolean`);
    });
    v.oneOf(`${p}.status`, m.status, ['ran', 'skipped']);
    v.nullable(`${p}.reason`, m.reason, (q, y) => v.string(q, y));
  });
  v.array('$.entries', r.entries, (p, x) => {
    if (!v.object(p, x)) return;
    const e = x as Record<string, unknown>;
    v.string(`${p}.mechanism`, e.mechanism);
    v.string(`${p}.scenario`, e.scenario);
    v.string(`${p}.variant`, e.variant);
    v.oneOf(`${p}.status`, e.status, ENTRY_STATUS);
    v.nullable(`${p}.reason`, e.reason, (q, y) => v.string(q, y));
    v.record(`${p}.metrics`, e.metrics, (q, y) => v.nullable(q, y, (s, z) => v.number(s, z)));
    if (e.perRound !== undefined)
      v.record(`${p}.perRound`, e.perRound, (q, y) =>
        v.array(q, y, (s, z) => v.nullable(s, z, (t, w) => v.number(t, w))),
      );
    if (e.lowerBounds !== undefined) v.array(`${p}.lowerBounds`, e.lowerBounds, (q, y) => v.string(q, y));
    v.nullable(`${p}.curve`, e.curve, (q, y) =>
      v.array(q, y, (s, pair) => {
        if (
          !Array.isArray(pair) ||
          pair.length !== 2 ||
          !pair.every((n) => typeof n === 'number' && Number.isFinite(n))
        ) {
          errors.push(`${s}: must be a [percentile, value] pair of numbers`);
        }
      }),
    );
  });
  v.array('$.notes', r.notes, (p, x) => v.string(p, x));
  v.nullable('$.overhead', r.overhead, (p, x) => {
    if (!v.object(p, x)) return;
    const o = x as Record<string, unknown>;
    v.string(`${p}.mechanism`, o.mechanism);
    for (const k of ['harnessOpsPerSec', 'tinybenchOpsPerSec', 'ratio', 'limit'] as const)
      v.number(`${p}.${k}`, o[k]);
    v.boolean(`${p}.pass`, o.pass);
  });
  return errors;
}

/** Collects messages; each check returns whether the value passed so callers can descend. */
class Checker {
  constructor(private readonly errors: string[]) {}

  private fail(path: string, message: string): false {
    this.errors.push(`${path}: ${message}`);
    return false;
  }

  object(path: string, x: unknown): boolean {
    return (typeof x === 'object' && x !== null && !Array.isArray(x)) || this.fail(path, 'must be an object');
  }

  string(path: string, x: unknown): boolean {
    return typeof x === 'string' || this.fail(path, 'must be a string');
  }

  number(path: string, x: unknown): boolean {
    return (typeof x === 'number' && Number.isFinite(x)) || this.fail(path, 'must be a finite number');
  }

  boolean(path: string, x: unknown): boolean {
    return typeof x === 'boolean' || this.fail(path, 'must be a boolean');
  }

  equal(path: string, x: unknown, expected: unknown): boolean {
    return x === expected || this.fail(path, `must be ${JSON.stringify(expected)}`);
  }

  oneOf(path: string, x: unknown, allowed: readonly string[]): boolean {
    return (
      (typeof x === 'string' && allowed.includes(x)) ||
      this.fail(path, `must be one of ${allowed.join(', ')}`)
    );
  }

  nullable(path: string, x: unknown, check: (path: string, x: unknown) => unknown): void {
    if (x !== null) check(path, x);
  }

  array(path: string, x: unknown, each: (path: string, x: unknown) => unknown): void {
    if (!Array.isArray(x)) {
      this.fail(path, 'must be an array');
      return;
    }
    x.forEach((item, i) => {
      each(`${path}[${i}]`, item);
    });
  }

  record(path: string, x: unknown, each: (path: string, x: unknown) => unknown): void {
    if (!this.object(path, x)) return;
    for (const [k, item] of Object.entries(x as Record<string, unknown>)) each(`${path}.${k}`, item);
  }
}
