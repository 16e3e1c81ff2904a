// Waiting for real readiness: poll the driver's health until it passes, and fail fast (with the
// log's last lines) when a process we just started has exited.
import type { BackendDriver, ServiceHealth } from './driver.ts';
import { errorText } from './driver.ts';
import { logFile } from './paths.ts';
import { logTail, processState } from './processes.ts';
import type { Member } from './topology.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitHealthy(
  d: BackendDriver,
  members: readonly Member[],
  watched: readonly Member[],
  timeoutMs = d.readyTimeoutMs,
): Promise<ServiceHealth> {
  const deadline = performance.now() + timeoutMs;
  let last: ServiceHealth = { ok: false, detail: 'not checked yet', members: [] };
  for (;;) {
    const dead = watched.find((m) => processState(m.name) === 'stopped');
    if (dead !== undefined) {
      throw new Error(
        `${dead.name} exited during start-up; ${logFile(dead.name)} ends with:\n${logTail(dead.name)}`,
      );
    }
    if (d.init !== undefined) {
      try {
        await d.init(members);
      } catch (err) {
        last = { ok: false, detail: `init: ${errorText(err)}`, members: [] };
      }
    }
    last = await d.serviceHealth(members);
    if (last.ok) return last;
    if (performance.now() > deadline) {
      const logs = watched.map((m) => `${m.name}: ${logFile(m.name)}\n${logTail(m.name, 6)}`).join('\n');
      throw new Error(
        `not healthy after ${Math.round(timeoutMs / 1000)} s: ${last.detail}${logs ? `\n${logs}` : ''}`,
      );
    }
    await sleep(250);
  }
}

export async function waitMemberHealthy(
  d: BackendDriver,
  m: Member,
  watch: boolean,
  timeoutMs = d.readyTimeoutMs,
): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let detail = '';
  for (;;) {
    if (watch && processState(m.name) === 'stopped') {
      throw new Error(`${m.name} exited during start-up; ${logFile(m.name)} ends with:\n${logTail(m.name)}`);
    }
    try {
      const h = await d.memberHealth(m);
      if (h.ok) return h.role ?? h.detail;
      detail = h.detail;
    } catch (err) {
      detail = errorText(err);
    }
    if (performance.now() > deadline)
      throw new Error(`${m.name} not healthy after ${Math.round(timeoutMs / 1000)} s: ${detail}`);
    await sleep(200);
  }
}
