// Faults on one member by name, for fault tests and the bench: stop (or kill -9), start, restart,
// pause (SIGSTOP: the process holds its sockets but answers nothing) and resume.
import { compose } from './compose.ts';
import { driver } from './drivers.ts';
import { withLauncherLock } from './lock.ts';
import { currentMode } from './mode.ts';
import { processState, signalProcess, spawnMember, stopProcess } from './processes.ts';
import { findMember } from './topology.ts';
import { waitMemberHealthy } from './wait.ts';

export interface StopOptions {
  /** SIGKILL kills at once (a crash); the default is the server's clean-stop signal. */
  signal?: 'SIGTERM' | 'SIGINT' | 'SIGKILL';
}

/** Stops one member (e.g. 'etcd-2', 'redlock-3'). Resolves when its process is gone. */
export async function stopMember(name: string, options: StopOptions = {}): Promise<void> {
  const m = findMember(name);
  const signal = options.signal ?? driver(m.service).stopSignal ?? 'SIGTERM';
  if (currentMode() === 'compose') {
    await compose(signal === 'SIGKILL' ? ['kill', '-s', 'SIGKILL', name] : ['stop', name]);
    return;
  }
  await withLauncherLock(async () => {
    await stopProcess(name, signal);
  });
}

/** kill -9 of one member: what a crash looks like to the rest of the cluster. */
export function killMember(name: string): Promise<void> {
  return stopMember(name, { signal: 'SIGKILL' });
}

/**
 * Starts one member again with its existing data and waits until it serves: a Redis or database
 * answers a write and read; a cluster member has rejoined (sees a leader / is leader or follower).
 * Returns the member's role or health detail.
 */
export async function startMember(name: string): Promise<string> {
  const m = findMember(name);
  const d = driver(m.service);
  if (currentMode() === 'compose') {
    await compose(['start', name]);
    return waitMemberHealthy(d, m, false);
  }
  await withLauncherLock(async () => {
    if (processState(name) !== 'stopped') return;
    const missing = d.requirements();
    if (missing !== undefined) throw new Error(`${name}: ${missing}`);
    await d.prepare(m);
    spawnMember(name, d.command(m));
  });
  return waitMemberHealthy(d, m, true);
}

export async function restartMember(name: string, options: StopOptions = {}): Promise<string> {
  await stopMember(name, options);
  return startMember(name);
}

/** SIGSTOP: the process keeps its connections open and stops answering (a GC pause, a hung VM). */
export async function pauseMember(name: string): Promise<void> {
  findMember(name);
  if (currentMode() === 'compose') await compose(['pause', name]);
  else signalProcess(name, 'SIGSTOP');
}

export async function resumeMember(name: string): Promise<void> {
  findMember(name);
  if (currentMode() === 'compose') await compose(['unpause', name]);
  else signalProcess(name, 'SIGCONT');
}
