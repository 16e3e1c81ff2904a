import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserConfig } from 'tsdown';

const DECLARATION = /\.d\.[cm]?ts$/;
const MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/;

/** Shared build settings: every published package spreads this in its own tsdown.config.ts. */
export const baseConfig: UserConfig = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  // JS maps carry their sources (sourcesContent), so they work without src/ in the tarball.
  sourcemap: true,
  publint: true,
  inputOptions: { checks: { pluginTimings: false } },
  hooks: {
    // No declaration maps are emitted (they would point at src/, which is not published), but
    // rolldown still ends each .d.mts/.d.cts with a sourceMappingURL comment: remove it.
    async 'build:done'({ chunks }) {
      const names = new Set(chunks.map((c) => c.fileName));
      for (const chunk of chunks) {
        if (chunk.type !== 'chunk' || !DECLARATION.test(chunk.fileName)) continue;
        if (names.has(`${chunk.fileName}.map`)) continue;
        const path = join(chunk.outDir, chunk.fileName);
        const text = await readFile(path, 'utf8');
        if (MAP_COMMENT.test(text)) await writeFile(path, text.replace(MAP_COMMENT, '\n'));
      }
    },
  },
};
