// Native processes we started: spawn detached with a log file, remember them in pid files (with
// the kernel's start time, so a recycled pid is never mistaken for ours), signal and reap them.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDir, logFile, pidFile } from './paths.ts';

export interface Launch {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Run as this user (PostgreSQL and MariaDB refuse to run as root). */
  uid?: number;
  gid?: number;
}

interface PidRecord {
  pid: number;
  /** /proc/<pid>/stat field 22; absent where /proc is not available. */
  startTime?: string;
  cmd: string;
  args: string[];
}

export type ProcessState = 'running' | 'paused' | 'stopped';

function procStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(member: string): PidRecord | undefined {
  const file = pidFile(member);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** The state of the process a pid file names; 'stopped' when it is gone or the pid was reused. */
export function processState(member: string): ProcessState {
  const rec = readPid(member);
  if (rec === undefined) return 'stopped';
  if (rec.startTime !== undefined) {
    const stat = procStat(rec.pid);
    if (stat === undefined || stat.startTime !== rec.startTime || stat.state === 'Z' || stat.state === 'X')
      return 'stopped';
    return stat.state === 'T' ? 'paused' : 'running';
  }
  return alive(rec.pid) ? 'running' : 'stopped';
}

export function ownedPid(member: string): number | undefined {
  return processState(member) === 'stopped' ? undefined : readPid(member)?.pid;
}

/** Starts the process detached (it outlives this one), appending its output to the member's log. */
export function spawnMember(member: string, launch: Launch): number {
  const log = logFile(member);
  ensureDir(dirname(log));
  ensureDir(dirname(pidFile(member)));
  const fd = openSync(log, 'a');
  writeFileSync(fd, `\n--- ${new Date().toISOString()} ${launch.cmd} ${launch.args.join(' ')}\n`);
  try {
    const child = spawn(launch.cmd, launch.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...launch.env },
      ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
      ...(launch.uid === undefined ? {} : { uid: launch.uid }),
      ...(launch.gid === undefined ? {} : { gid: launch.gid }),
    });
    child.on('error', () => {}); // reported by the readiness wait, which sees the process gone
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${launch.cmd}`);
    const stat = procStat(child.pid);
    const rec: PidRecord = { pid: child.pid, cmd: launch.cmd, args: launch.args };
    if (stat !== undefined) rec.startTime = stat.startTime;
    writeFileSync(pidFile(member), `${JSON.stringify(rec)}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends `signal` to the member's process and waits until it is gone (SIGKILL after `graceMs`).
 * A paused process is resumed first so it can act on SIGTERM. No-op when it is not running.
 */
export async function stopProcess(
  member: string,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 15_000,
): Promise<boolean> {
  const rec = readPid(member);
  if (rec === undefined || processState(member) === 'stopped') {
    rmSync(pidFile(member), { force: true });
    return false;
  }
  if (processState(member) === 'paused') process.kill(rec.pid, 'SIGCONT');
  process.kill(rec.pid, signal);
  const deadline = performance.now() + graceMs;
  while (processState(member) !== 'stopped') {
    if (performance.now() > deadline) {
      process.kill(rec.pid, 'SIGKILL');
      await sleep(200);
      break;
    }
    await sleep(50);
  }
  rmSync(pidFile(member), { force: true });
  return true;
}

export function signalProcess(member: string, signal: 'SIGSTOP' | 'SIGCONT'): void {
  const pid = ownedPid(member);
  if (pid === undefined)
    throw new Error(`${member} is not running (no live process from \`pnpm backends up\`)`);
  process.kill(pid, signal);
}

/** The last lines of a member's log, for error messages. */
export function logTail(member: string, lines = 12): string {
  try {
    const text = readFileSync(logFile(member), 'utf8').trimEnd().split('\n');
    return text
      .slice(-lines)
      .map((l) => `    ${l}`)
      .join('\n');
  } catch {
    return '    (no log)';
  }
}

/** `{ port: 1, dir: 'x' }` -> ['--port', '1', '--dir', 'x']: command lines that read as a table. */
export function flags(options: Record<string, string | number>, prefix = '--'): string[] {
  return Object.entries(options).flatMap(([k, v]) => [`${prefix}${k}`, String(v)]);
}
