// `up`, `down` and `status` over either runner. `up` starts only what is not already serving,
// waits for real readiness, and says how long each service took or exactly why it could not start.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { compose, composeRunning } from './compose.ts';
import { errorText, type ServiceHealth } from './driver.ts';
import { driver } from './drivers.ts';
import { withLauncherLock } from './lock.ts';
import { currentMode, dockerAvailable, type Mode, recordMode } from './mode.ts';
import { runDir } from './paths.ts';
import { portHolder, portOpen } from './probes/tcp.ts';
import { processState, readPid, spawnMember, stopProcess } from './processes.ts';
import { type Member, SERVICES, type Service, type ServiceName, service } from './topology.ts';
import { waitHealthy } from './wait.ts';

export interface UpResult {
  service: ServiceName;
  /** started: we started (some of) it now; running: it already served; failed: see `reason`. */
  state: 'started' | 'running' | 'failed';
  ms: number;
  detail: string;
  reason?: string;
}

export interface UpOptions {
  /** Start services one after another (for measuring each on its own); default: all at once. */
  serial?: boolean;
  mode?: Mode;
}

async function startNative(svc: Service): Promise<UpResult> {
  const t0 = performance.now();
  const d = driver(svc.name);
  const result = (state: UpResult['state'], detail: string, reason?: string): UpResult => ({
    service: svc.name,
    state,
    ms: Math.round(performance.now() - t0),
    detail,
    ...(reason === undefined ? {} : { reason }),
  });
  const before = await d.serviceHealth(svc.members);
  if (before.ok) return result('running', before.detail);
  const missing = d.requirements();
  if (missing !== undefined) return result('failed', 'not started', missing);
  const spawned: Member[] = [];
  const foreign: string[] = [];
  try {
    for (const m of svc.members) {
      if (processState(m.name) !== 'stopped') continue; // ours, still running (or paused)
      const held = [];
      for (const port of Object.values(m.ports)) if (await portOpen(port)) held.push(port);
      if (held.length > 0) {
        foreign.push(...held.map((p) => `port ${p} is held by ${portHolder(p) ?? 'another process'}`));
        continue;
      }
      await d.prepare(m);
      spawnMember(m.name, d.command(m));
      spawned.push(m);
    }
    // nothing of ours to wait for: whoever holds the ports either serves now or is not this service
    const timeout = spawned.length === 0 && foreign.length > 0 ? 3000 : d.readyTimeoutMs;
    const health = await waitHealthy(d, svc.members, spawned, timeout);
    return result(spawned.length > 0 ? 'started' : 'running', health.detail);
  } catch (err) {
    const why =
      foreign.length > 0
        ? `${errorText(err)}\n    (${foreign.join('; ')}, not by \`pnpm backends up\`)`
        : errorText(err);
    return result('failed', 'not healthy', why);
  }
}

async function startCompose(svc: Service): Promise<UpResult> {
  const t0 = performance.now();
  const d = driver(svc.name);
  const ms = () => Math.round(performance.now() - t0);
  try {
    const before = await d.serviceHealth(svc.members);
    if (before.ok) return { service: svc.name, state: 'running', ms: ms(), detail: before.detail };
    await compose(['up', '-d', ...svc.members.map((m) => m.name)]);
    const health = await waitHealthy(d, svc.members, []);
    return { service: svc.name, state: 'started', ms: ms(), detail: health.detail };
  } catch (err) {
    return { service: svc.name, state: 'failed', ms: ms(), detail: 'not healthy', reason: errorText(err) };
  }
}

function select(names: readonly ServiceName[]): Service[] {
  return names.length === 0 ? [...SERVICES] : names.map(service);
}

/** Starts the named services (all when empty) and waits until each really serves. */
export function up(names: readonly ServiceName[] = [], options: UpOptions = {}): Promise<UpResult[]> {
  return withLauncherLock(async () => {
    const mode = options.mode ?? currentMode();
    recordMode(mode);
    const start = mode === 'compose' ? startCompose : startNative;
    const services = select(names);
    if (!options.serial) return Promise.all(services.map(start));
    const results: UpResult[] = [];
    for (const s of services) results.push(await start(s));
    return results;
  });
}

export interface DownResult {
  stopped: string[];
  mode: Mode;
}

/**
 * Stops what `up` started (pid files, or the compose project) and nothing else: every service, or
 * only the named ones.
 */
export function down(names: readonly ServiceName[] = []): Promise<DownResult> {
  return withLauncherLock(async () => {
    const mode = currentMode();
    const stopped: string[] = [];
    const members = select(names).flatMap((s) => s.members);
    if (mode === 'compose') {
      const running = await composeRunning();
      stopped.push(...members.map((m) => m.name).filter((n) => running.has(n)));
      if (names.length === 0) await compose(['down', '--volumes', '--remove-orphans']);
      else await compose(['rm', '--stop', '--force', ...members.map((m) => m.name)]);
    } else {
      await Promise.all(
        members
          .filter((m) => readPid(m.name) !== undefined)
          .map(async (m) => {
            if (await stopProcess(m.name, driver(m.service).stopSignal ?? 'SIGTERM')) stopped.push(m.name);
          }),
      );
    }
    if (names.length === 0) rmSync(join(runDir(), 'mode'), { force: true });
    return { stopped: stopped.sort(), mode };
  });
}

export interface StatusEntry {
  service: ServiceName;
  health: ServiceHealth;
  members: Array<{ name: string; process: string; ports: Record<string, number>; pid?: number }>;
}

/** Health of each service (a real write and read, leaders) and the state of each member's process. */
export async function status(
  names: readonly ServiceName[] = [],
): Promise<{ mode: Mode; services: StatusEntry[] }> {
  const mode = currentMode();
  const running =
    mode === 'compose' && dockerAvailable()
      ? await composeRunning().catch(() => new Set<string>())
      : undefined;
  const services = await Promise.all(
    select(names).map(async (svc): Promise<StatusEntry> => {
      const health = await driver(svc.name).serviceHealth(svc.members);
      const members = svc.members.map((m) => {
        const pid = readPid(m.name)?.pid;
        const proc =
          running !== undefined ? (running.has(m.name) ? 'container' : 'no container') : processState(m.name);
        return {
          name: m.name,
          process: proc,
          ports: { ...m.ports },
          ...(pid === undefined || proc === 'stopped' ? {} : { pid }),
        };
      });
      return { service: svc.name, health, members };
    }),
  );
  return { mode, services };
}
