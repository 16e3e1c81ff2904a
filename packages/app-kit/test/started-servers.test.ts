import type { ServiceName } from '@locksmith/backends';
import { describe, expect, it } from 'vitest';
import { releaseStartedServers } from '../src/started-servers.ts';

describe('releaseStartedServers', () => {
  const recorder = () => {
    const calls: (readonly ServiceName[])[] = [];
    return { calls, stop: async (names: readonly ServiceName[]) => void calls.push(names) };
  };

  it('stops what the run started and says how to keep it', async () => {
    const { calls, stop } = recorder();
    const line = await releaseStartedServers(['redis', 'redlock'], false, stop);
    expect(calls).toEqual([['redis', 'redlock']]);
    expect(line).toBe(
      'stopped the servers this run started (redis redlock); `--keep-servers` keeps them running',
    );
  });

  it('with --keep-servers stops nothing and says how to stop them', async () => {
    const { calls, stop } = recorder();
    const line = await releaseStartedServers(['etcd'], true, stop);
    expect(calls).toEqual([]);
    expect(line).toBe('kept the servers this run started (etcd): `pnpm backends down etcd` stops them');
  });

  it('stops nothing and says nothing when every server already served', async () => {
    const { calls, stop } = recorder();
    expect(await releaseStartedServers([], false, stop)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('reports a failed stop with the command that finishes it', async () => {
    const line = await releaseStartedServers(['redis'], false, async () => {
      throw new Error('launcher busy');
    });
    expect(line).toBe(
      'could not stop the servers this run started (redis): launcher busy; `pnpm backends down redis` stops them',
    );
  });
});
