// Client module for the testkit's child processes (kill -9 holder, cross-process safety). The
// parent passes the server address and key prefix through the environment.
import type { LockClient } from '@locksmith/core';
import { consulLocks } from '../src/index.ts';
import { connect } from './servers.ts';

export function createConsul(env: NodeJS.ProcessEnv): LockClient {
  const prefix = env.LOCKSMITH_TEST_PREFIX;
  if (!prefix) throw new Error('LOCKSMITH_TEST_PREFIX is not set');
  const addr = (env.LOCKSMITH_CONSUL_ADDRS ?? '').split(',')[0];
  return consulLocks({ client: connect(addr), prefix });
}
