import { InvalidArgumentError, type Leadership, type Lease, type LockClient } from '@locksmith/core';
import { validateOptionsObject } from '@locksmith/core/protocol';
import type { ClientModule } from './client-module.ts';

/** What {@link ConformanceOptions.createClient} is asked for. */
export interface ClientRequest {
  /**
   * `true`: set the backend's poll fallback to minutes, so only a push wake-up can hand the lock
   * to a waiter promptly (the push case uses it). Backends without polling ignore it.
   */
  readonly slowPoll: boolean;
}

/** Hooks through which the suite injects faults; each backend implements them against its real server. */
export interface ConformanceFaults {
  /**
   * Makes the backend forget `lease` while the client still believes it holds it (memory: the
   * space's hook; Redis: `DEL`; etcd: lease revoke; ZooKeeper: session expiry…). Required: every
   * backend must show that a lost lease aborts `lease.signal`.
   */
  readonly loseLease?: (lease: Lease) => Promise<void>;
  /**
   * Makes the backend forget `leadership` while its client still believes it leads (etcd: revoke
   * the session lease of the leader's entry). Required where `'elect'` is declared.
   */
  readonly loseLeadership?: (leadership: Leadership) => Promise<void>;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The backend's (or variant's) name, shown in the describe title. */
  readonly name: string;
  /**
   * Builds a new client on the backend. Called several times per case; clients built with it in
   * one process must contend for the same keys, as two processes would. The suite closes them.
   */
  readonly createClient: (request: ClientRequest) => LockClient | Promise<LockClient>;
  /** Fault hooks; see {@link ConformanceFaults}. */
  readonly faults?: ConformanceFaults;
  /**
   * A module whose export builds a client in a child process, for the kill -9 case. Leave it out
   * only for an in-process backend (the case is then skipped, saying so).
   */
  readonly holder?: ClientModule;
  /**
   * When set, the suite is registered but skipped, with this reason in its title (e.g. the
   * server is unreachable). With `LOCKSMITH_REQUIRE_BACKENDS=1` a reason makes a failing test instead.
   */
  readonly skip?: string | undefined;
  /**
   * Multiplies every TTL the suite uses, for backends with coarse leases (etcd grants whole
   * seconds). Waits that depend on a TTL grow with it.
   * @defaultValue 1
   */
  readonly ttlScale?: number;
}

const KNOWN = ['name', 'createClient', 'faults', 'holder', 'skip', 'ttlScale'] as const;

/**
 * Checks {@link ConformanceOptions} when the suite is registered, so a wiring mistake fails loudly.
 * @throws InvalidArgumentError naming the option.
 */
export function validateConformanceOptions(options: unknown): ConformanceOptions {
  const o = validateOptionsObject<ConformanceOptions>('options', options, [...KNOWN]);
  if (typeof o.name !== 'string' || o.name === '')
    throw new InvalidArgumentError('options.name', 'must be a non-empty string');
  if (typeof o.createClient !== 'function') {
    throw new InvalidArgumentError(
      'options.createClient',
      `must be a function (got ${typeof o.createClient})`,
    );
  }
  if (
    o.ttlScale !== undefined &&
    !(typeof o.ttlScale === 'number' && Number.isFinite(o.ttlScale) && o.ttlScale > 0)
  ) {
    throw new InvalidArgumentError(
      'options.ttlScale',
      `must be a positive finite number (got ${String(o.ttlScale)})`,
    );
  }
  if (o.skip !== undefined && typeof o.skip !== 'string')
    throw new InvalidArgumentError('options.skip', 'must be a string');
  const faults = validateOptionsObject<ConformanceFaults>('options.faults', o.faults, [
    'loseLease',
    'loseLeadership',
  ]);
  for (const hook of ['loseLease', 'loseLeadership'] as const) {
    if (faults[hook] !== undefined && typeof faults[hook] !== 'function')
      throw new InvalidArgumentError(`options.faults.${hook}`, 'must be a function');
  }
  if (o.holder !== undefined) {
    const holder = validateOptionsObject<ClientModule>('options.holder', o.holder, [
      'module',
      'exportName',
      'env',
    ]);
    if (typeof holder.module !== 'string' || holder.module === '') {
      throw new InvalidArgumentError('options.holder.module', 'must be a non-empty path or URL');
    }
  }
  return o as ConformanceOptions;
}
