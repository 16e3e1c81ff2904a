// What a packed tarball must hold for a user: its licence and README, no workspace: ranges left,
// and no source map reference that leads nowhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const MAP_COMMENT = /\/\/# sourceMappingURL=(\S+)\s*$/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

/** Problems with the unpacked tarball in `unpacked` (its `package/` folder); empty when it is fine. */
export function tarballProblems(unpacked: string, rootLicense: string): string[] {
  const pkg = join(unpacked, 'package');
  const problems: string[] = [];
  for (const required of ['LICENSE', 'README.md', 'package.json']) {
    if (!existsSync(join(pkg, required))) problems.push(`${required} is not in the tarball`);
  }
  if (existsSync(join(pkg, 'LICENSE')) && readFileSync(join(pkg, 'LICENSE'), 'utf8') !== rootLicense) {
    problems.push('LICENSE differs from the repository LICENSE');
  }
  const manifest = readFileSync(join(pkg, 'package.json'), 'utf8');
  if (manifest.includes('workspace:')) problems.push('package.json still has a workspace: range');
  for (const file of files(pkg)) {
    const name = relative(pkg, file);
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
      map.sources.forEach((source, i) => {
        const inlined = typeof map.sourcesContent?.[i] === 'string';
        if (!inlined && !existsSync(join(dirname(file), source))) {
          problems.push(`${name} maps to ${source}, which is neither shipped nor inlined`);
        }
      });
    } else if (/\.[cm]?[jt]s$/.test(file)) {
      const match = MAP_COMMENT.exec(readFileSync(file, 'utf8'));
      const target = match?.[1];
      if (target !== undefined && !target.startsWith('data:') && !existsSync(join(dirname(file), target))) {
        problems.push(`${name} names the source map ${target}, which is not shipped`);
      }
    }
  }
  return problems;
}
