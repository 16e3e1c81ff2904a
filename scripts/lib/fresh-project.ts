// The files of a fresh npm project that uses one backend package the way its README does: an ESM
// and a CJS script that load it, and a TypeScript file checked under three module resolutions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The client library of every server backend: a project for one backend must contain no other. */
export const CLIENT_LIBRARIES = ['ioredis', 'etcd3', 'zookeeper', 'consul', 'pg', 'mysql2'] as const;

export interface BackendSpec {
  /** Directory under packages/. */
  readonly dir: string;
  readonly factory: string;
  /** The peer client library, installed from the npm registry at the version the tests use. */
  readonly peer?: (typeof CLIENT_LIBRARIES)[number];
  /** Its type package, for a library that ships no types. */
  readonly peerTypes?: string;
  /** TypeScript: the import of the client and a client-making call taking it, as in the README. */
  readonly typed: { readonly imports: string; readonly create: string };
  /**
   * At run time without a server: `round-trip` acquires and releases a lock; `invalid-argument`
   * calls the factory with `{}` and expects @locksmith/core's InvalidArgumentError before any I/O.
   */
  readonly runtime: 'round-trip' | 'invalid-argument';
}

export const BACKENDS: readonly BackendSpec[] = [
  {
    dir: 'memory',
    factory: 'memoryLocks',
    typed: { imports: '', create: 'memoryLocks()' },
    runtime: 'round-trip',
  },
  {
    dir: 'file',
    factory: 'fileLocks',
    typed: { imports: '', create: "fileLocks({ dir: '/tmp/locks' })" },
    runtime: 'round-trip',
  },
  {
    dir: 'redis',
    factory: 'redisLocks',
    peer: 'ioredis',
    typed: {
      imports: "import { Redis } from 'ioredis';",
      create: 'redisLocks({ client: new Redis({ lazyConnect: true }) })',
    },
    runtime: 'invalid-argument',
  },
  {
    dir: 'etcd',
    factory: 'etcdLocks',
    peer: 'etcd3',
    typed: { imports: "import { Etcd3 } from 'etcd3';", create: 'etcdLocks({ client: new Etcd3() })' },
    runtime: 'invalid-argument',
  },
  {
    dir: 'zookeeper',
    factory: 'zookeeperLocks',
    peer: 'zookeeper',
    typed: {
      imports: "import ZooKeeper from 'zookeeper';",
      create: "zookeeperLocks({ client: new ZooKeeper({ connect: 'zk:2181', timeout: 30_000 }) })",
    },
    runtime: 'invalid-argument',
  },
  {
    dir: 'consul',
    factory: 'consulLocks',
    peer: 'consul',
    typed: { imports: "import Consul from 'consul';", create: 'consulLocks({ client: new Consul() })' },
    runtime: 'invalid-argument',
  },
  {
    dir: 'postgres',
    factory: 'postgresLocks',
    peer: 'pg',
    peerTypes: '@types/pg',
    typed: { imports: "import pg from 'pg';", create: 'postgresLocks({ pool: new pg.Pool() })' },
    runtime: 'invalid-argument',
  },
  {
    dir: 'mysql',
    factory: 'mysqlLocks',
    peer: 'mysql2',
    typed: {
      imports: "import { createPool } from 'mysql2/promise';",
      create: "mysqlLocks({ pool: createPool({ uri: 'mysql://app@db/app' }) })",
    },
    runtime: 'invalid-argument',
  },
];

/** The TypeScript resolutions a user's project may use, each with the files it checks. */
export const RESOLUTIONS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['typed.ts', 'typed-cjs.cts'] },
  node10: { module: 'commonjs', moduleResolution: 'node10', files: ['typed.ts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['typed.ts'] },
} as const;
export type Resolution = keyof typeof RESOLUTIONS;

/** What scripts/lib/typecheck-project.ts reports per resolution. */
export interface TypecheckResult {
  readonly ok: boolean;
  readonly seconds: number;
  readonly output: string;
}

function runtimeCheck(spec: BackendSpec): string {
  const call = spec.dir === 'file' ? `factory({ dir: process.env.CHECK_DIR })` : 'factory()';
  return `
async function check(core, backend) {
  const factory = backend.${spec.factory};
  if (typeof factory !== 'function') throw new Error('${spec.factory} is not exported as a function');
  if (${JSON.stringify(spec.runtime)} === 'round-trip') {
    const locks = ${call};
    const lease = await locks.acquire('check', { ttlMs: 5000 });
    if (typeof lease.token !== 'bigint') throw new Error('lease.token is not a bigint');
    await lease.release();
    await locks.close();
  } else {
    let caught;
    try { factory({}); } catch (error) { caught = error; }
    if (!(caught instanceof core.InvalidArgumentError) || caught.code !== 'INVALID_ARGUMENT') {
      throw new Error('${spec.factory}({}) did not throw the InvalidArgumentError of @locksmith/core: ' + caught);
    }
  }
  console.log('ok');
}
`;
}

function typedCheck(spec: BackendSpec): string {
  return `import { InvalidArgumentError, type Lease, type LockClient } from '@locksmith/core';
import { ${spec.factory} } from '@locksmith/${spec.dir}';
${spec.typed.imports}

export const locks: LockClient = ${spec.typed.create};

export async function roundTrip(): Promise<bigint> {
  const lease: Lease = await locks.acquire('check', { ttlMs: 1_000, signal: AbortSignal.timeout(1_000) });
  await lease.release();
  return lease.token;
}

export const isInvalidArgument = (error: unknown): boolean => InvalidArgumentError.isInstance(error);
`;
}

export interface ProjectInput {
  readonly spec: BackendSpec;
  /** Absolute paths of the tarballs of the backend and the @locksmith packages it needs, by name. */
  readonly tarballs: ReadonlyMap<string, string>;
  /** Registry dependencies (the peer client, its types, @types/node), name → exact version. */
  readonly registry: Readonly<Record<string, string>>;
}

/** Writes the project into `dir` (created). */
export function writeFreshProject(dir: string, { spec, tarballs, registry }: ProjectInput): void {
  mkdirSync(dir, { recursive: true });
  const pkg = `@locksmith/${spec.dir}`;
  // As a user has it: the backend and its peer. The @locksmith packages it depends on come from
  // their tarballs through overrides (a dependency on a file: spec would still ask the registry).
  const dependencies: Record<string, string> = { [pkg]: `file:${tarballs.get(pkg)}`, ...registry };
  const overrides: Record<string, string> = {};
  for (const [name, path] of tarballs) if (name !== pkg) overrides[name] = `file:${path}`;
  const manifest = { name: `check-${spec.dir}`, private: true, type: 'module', dependencies, overrides };
  const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
  write('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  // An @locksmith package that is not among the tarballs must fail the install, never come from a registry.
  write('.npmrc', '@locksmith:registry=http://127.0.0.1:9/\n');
  write(
    'check.mjs',
    `import * as core from '@locksmith/core';\nimport * as backend from '${pkg}';\n${runtimeCheck(spec)}\nawait check(core, backend);\n`,
  );
  write(
    'check.cjs',
    `const core = require('@locksmith/core');\nconst backend = require('${pkg}');\n${runtimeCheck(spec)}\ncheck(core, backend).catch((error) => { console.error(error); process.exitCode = 1; });\n`,
  );
  write('typed.ts', typedCheck(spec));
  write('typed-cjs.cts', typedCheck(spec));
  for (const [name, { module, moduleResolution, files }] of Object.entries(RESOLUTIONS)) {
    const compilerOptions = {
      strict: true,
      noEmit: true,
      // The point is to check our declarations as a user's compiler reads them.
      skipLibCheck: false,
      esModuleInterop: true,
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      module,
      moduleResolution,
    };
    write(`tsconfig.${name}.json`, `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`);
  }
}
