import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnHolder } from '../src/holder-process.ts';
import { scaled } from '../src/time-scale.ts';

const module = fileURLToPath(new URL('./fixtures/toy-locks.ts', import.meta.url));

describe('holder script', () => {
  it(
    'holds, prints its token, and releases on request',
    async () => {
      const holder = await spawnHolder({ module, key: 'k', ttlMs: 5_000, env: { TOY_LOCK: 'queue' } });
      expect(holder.token).toBe(1n);
      await holder.release();
      expect(holder.lines).toContain('RELEASED');
      expect((await holder.exited).code).toBe(0);
    },
    scaled(30_000),
  );

  it(
    'dies on kill -9 without releasing',
    async () => {
      const holder = await spawnHolder({ module, key: 'k' });
      await holder.kill();
      expect((await holder.exited).signal).toBe('SIGKILL');
      expect(holder.lines).not.toContain('RELEASED');
    },
    scaled(30_000),
  );

  it(
    'reports a broken client module instead of hanging',
    async () => {
      await expect(spawnHolder({ module, exportName: 'notAFunction', key: 'k' })).rejects.toThrow(
        /no function export "notAFunction"/,
      );
    },
    scaled(30_000),
  );

  it('rejects bad input before starting a process', async () => {
    await expect(spawnHolder({ module, key: '' })).rejects.toMatchObject({ argument: 'key' });
    await expect(spawnHolder({ module, key: 'k', ttlMs: 0 })).rejects.toMatchObject({
      argument: 'options.ttlMs',
    });
    await expect(spawnHolder({ module: '', key: 'k' })).rejects.toMatchObject({ argument: 'options.module' });
  });
});
