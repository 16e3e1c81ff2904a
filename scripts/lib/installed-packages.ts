// What a fresh project's npm install put in its node_modules, and what must not be there.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_LIBRARIES } from './fresh-project.ts';

/** The names of every package under a node_modules folder, nested node_modules included. */
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

/**
 * Problems with the install in `project`: another backend's client library, an @locksmith package
 * beyond `expected`, or an @locksmith package that did not come from a tarball (package-lock.json).
 */
export function installProblems(project: string, peer: string | undefined, expected: Set<string>): string[] {
  const installed = installedPackages(join(project, 'node_modules'));
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string }>;
  };
  return [
    ...CLIENT_LIBRARIES.filter((lib) => lib !== peer && installed.has(lib)).map(
      (lib) => `another backend's client is installed: ${lib}`,
    ),
    ...[...installed]
      .filter((name) => name.startsWith('@locksmith/') && !expected.has(name))
      .map((name) => `an @locksmith package it does not need is installed: ${name}`),
    ...Object.entries(lock.packages)
      .filter(([path, e]) => path.includes('node_modules/@locksmith/') && !e.resolved?.startsWith('file:'))
      .map(([path]) => `${path} did not come from a tarball`),
  ];
}
