import type { BenchAdapter } from './adapter.ts';

/** One row of a peer library: its name, what it is, and the options that make it this row. */
export interface PeerVariant {
  readonly name: string;
  readonly summary: string;
  /** Options passed to the library; `{}` keeps the library's defaults. */
  readonly options: Readonly<Record<string, number>>;
}

/** A peer library on the single Redis instance, compared with redis-floor. */
export function redisPeerAdapter(
  variant: PeerVariant,
  fields: Pick<BenchAdapter, 'settings' | 'packages' | 'open'>,
): BenchAdapter {
  return {
    name: variant.name,
    backend: 'redis',
    kind: 'peer',
    floor: 'redis-floor',
    summary: variant.summary,
    settings: fields.settings,
    requires: ['redis'],
    packages: fields.packages,
    scope: 'network',
    open: fields.open,
  };
}
