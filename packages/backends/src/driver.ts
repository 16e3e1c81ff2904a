// What each service supplies to the launcher: how to run a member natively, and how to tell that
// it really serves. Health checks talk to the host ports, so they are the same for docker compose.
import type { Launch } from './processes.ts';
import type { Member, ServiceName } from './topology.ts';

export interface MemberHealth {
  ok: boolean;
  /** "leader", "follower", ... for cluster members. */
  role?: string;
  detail: string;
}

export interface ServiceHealth {
  ok: boolean;
  /** One line: what was proven ("leader etcd-2, put/get ok") or what failed. */
  detail: string;
  members: Array<{ name: string } & MemberHealth>;
}

export interface BackendDriver {
  readonly service: ServiceName;
  /** How long `up` waits for the service to become healthy. */
  readonly readyTimeoutMs: number;
  /** Signal for a clean stop (PostgreSQL: SIGINT, its fast shutdown). */
  readonly stopSignal?: NodeJS.Signals;
  /** Undefined when this machine can run it natively; otherwise why not and how to get it. */
  requirements(): string | undefined;
  /** Idempotent one-time setup of the member's data directory (initdb, myid, ...). */
  prepare(m: Member): Promise<void>;
  command(m: Member): Launch;
  /** Called before each health check while waiting for `up` (creates the database, the proxies). */
  init?(members: readonly Member[]): Promise<void>;
  memberHealth(m: Member): Promise<MemberHealth>;
  serviceHealth(members: readonly Member[]): Promise<ServiceHealth>;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

/** Runs a member check, turning a throw into a failed health with the message. */
export async function checkMember(fn: () => Promise<MemberHealth>): Promise<MemberHealth> {
  try {
    return await fn();
  } catch (err) {
    return { ok: false, detail: errorText(err) };
  }
}

/**
 * Checks every member, then (when all are ok) the service-wide check, e.g. one leader plus a
 * write and a read. Returns one health for the service.
 */
export async function combineHealth(
  driver: Pick<BackendDriver, 'memberHealth'>,
  members: readonly Member[],
  whole: (healths: Array<{ name: string } & MemberHealth>) => Promise<string>,
): Promise<ServiceHealth> {
  const healths = await Promise.all(
    members.map(async (m) => ({ name: m.name, ...(await checkMember(() => driver.memberHealth(m))) })),
  );
  const bad = healths.filter((h) => !h.ok);
  if (bad.length > 0) {
    return { ok: false, detail: bad.map((h) => `${h.name}: ${h.detail}`).join('; '), members: healths };
  }
  try {
    return { ok: true, detail: await whole(healths), members: healths };
  } catch (err) {
    return { ok: false, detail: errorText(err), members: healths };
  }
}
