import type { ClientModule } from '../client-module.ts';

/** The faults of the suite, in the order it runs them. */
export type FaultName = 'pause' | 'kill' | 'restart' | 'latency' | 'cut' | 'member';

/** Every {@link FaultName}, in the suite's order. */
export const FAULT_NAMES: readonly FaultName[] = ['pause', 'kill', 'restart', 'latency', 'cut', 'member'];

/**
 * A fault the suite does not run against a target, and why. `n/a`: it cannot apply to this
 * backend (a file system has no server to restart). `not-run`: it applies, but is not enabled here
 * (it would kill shared cluster members; no toxiproxy answers).
 */
export interface FaultSkip {
  /** `n/a`: the fault cannot apply to this target; `not-run`: it applies but is not enabled here. */
  readonly skip: 'n/a' | 'not-run';
  /** Why, in a sentence for the report. */
  readonly reason: string;
}

/** One fault of servers: begun (kill a server), lasting `downMs`, ended (start it again). */
export interface ServerInjection {
  /** What it does, for the report: `kill -9 the leader`, `2 of 5 instances down`. */
  readonly label: string;
  /** How long the fault lasts between `begin` and `end`. */
  readonly downMs: number;
  /** Injects the fault. May resolve a more precise label (`kill -9 the leader etcd-2`). */
  begin(): Promise<string | undefined>;
  /** Ends the fault; resolves once the servers serve again. */
  end(): Promise<void>;
}

/** Servers made ready for a server fault, and the injections to run on them. */
export interface ServerFaultSetup {
  /** Client environment for these servers, merged over the target's (private servers' URLs). */
  readonly env?: Readonly<Record<string, string>>;
  /** The injections to make, in order (each a window of the fault). */
  readonly injections: readonly ServerInjection[];
  /** Stops what `prepare` started (private servers); called once the run is over. */
  dispose(): Promise<void>;
}

/** A fault of the target's servers (`restart`, `member`). */
export interface ServerFault {
  /** Starts private servers if it needs them; resolves the injections. */
  prepare(): Promise<ServerFaultSetup>;
}

/** How clients reach the servers, so the suite can put a proxy of its own in front of each worker. */
export interface NetworkRoute {
  /** Toxiproxy's admin URL (`http://127.0.0.1:8474`); the suite makes its own proxies there. */
  readonly toxiproxyUrl: string;
  /** `host:port` of every server endpoint in the client environment, in order. */
  readonly endpoints: readonly string[];
  /** The client environment with each endpoint replaced by `addresses[i]` (`host:port`). */
  env(addresses: readonly string[]): Readonly<Record<string, string>>;
}

/**
 * A backend as the fault suite sees it: how a worker process builds a client, and how each fault
 * reaches it. `pause` and `kill` apply to every backend whose locks span processes; the others
 * need hooks or a reason they do not run.
 */
export interface FaultTarget {
  /** Row name in the report (`redis`, `postgres (lease)`). */
  readonly name: string;
  /** The module every worker builds its client with (its `env` also goes to every worker). */
  readonly client: ClientModule;
  /** Lease length of every acquire. Short, so faults play out quickly, but at least the backend's minimum. */
  readonly ttlMs: number;
  /**
   * Upper bound on how long another client may need to get the lock once a holder stops renewing
   * (TTL, session expiry, lock-delay), and on every wait of the suite that depends on it.
   * @defaultValue `5 × ttlMs + 5 s`
   */
  readonly takeoverMs?: number;
  /** Set when `pause` does not apply to this target (e.g. in-process locks), with the reason. */
  readonly pause?: FaultSkip;
  /** Set when `kill` does not apply to this target, with the reason. */
  readonly kill?: FaultSkip;
  /** The server restarted while locks are held and waiters queue (a private server). */
  readonly restart: ServerFault | FaultSkip;
  /** `latency` and `cut`: toxiproxy between the workers and the servers. */
  readonly network: NetworkRoute | FaultSkip;
  /** Cluster members (then the leader) killed and restarted; Redlock instances down. */
  readonly member: ServerFault | FaultSkip;
  /**
   * Documented weaknesses by fault: a silent loss under these is counted and reported with this
   * text instead of failing (Postgres session mode when the server ends the session).
   */
  readonly knownGaps?: Partial<Readonly<Record<FaultName, string>>>;
}

/** Whether a target's entry is a skip rather than hooks. */
export function isFaultSkip(value: unknown): value is FaultSkip {
  return typeof value === 'object' && value !== null && 'skip' in value && 'reason' in value;
}
