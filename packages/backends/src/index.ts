export type { MemberHealth, ServiceHealth } from './driver.ts';
export {
  BackendsUnavailableError,
  type EnsureOptions,
  type EnsureResult,
  ensureBackends,
  exportEnv,
  requireBackends,
  skipReason,
} from './ensure.ts';
export { backendEnv, formatEnv, proxyVariable, skipVariable } from './env.ts';
export {
  type DownResult,
  down,
  type StatusEntry,
  status,
  type UpOptions,
  type UpResult,
  up,
} from './launcher.ts';
export {
  killMember,
  pauseMember,
  restartMember,
  resumeMember,
  type StopOptions,
  startMember,
  stopMember,
} from './members.ts';
export { currentMode, dockerAvailable, type Mode } from './mode.ts';
export {
  postmasterPid,
  privatePostgresRecipe,
  privatePostgresSkip,
  privatePostgresUrl,
} from './private-postgres.ts';
export { type PrivateServerRecipe, privateRedisRecipe, redisServerPid } from './private-redis.ts';
export { type ProxyDefinition, proxyDefinitions } from './proxies.ts';
export {
  allMembers,
  findMember,
  HOST,
  type Member,
  SERVICE_NAMES,
  SERVICES,
  type Service,
  type ServiceName,
  service,
} from './topology.ts';
export { resetToxics, type Stream, type Toxics, toxics, toxiproxyUrl } from './toxics.ts';
