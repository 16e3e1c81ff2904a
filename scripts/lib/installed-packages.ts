// The names of every package under a node_modules folder, nested node_modules included.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function installedPackages(nodeModules: string, into = new Set<string>()): Set<string> {
  if (!existsSync(nodeModules)) return into;
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@')
      ? readdirSync(join(nodeModules, entry)).map((scoped) => `${entry}/${scoped}`)
      : [entry];
    for (const name of names) {
      into.add(name);
      installedPackages(join(nodeModules, name, 'node_modules'), into);
    }
  }
  return into;
}
