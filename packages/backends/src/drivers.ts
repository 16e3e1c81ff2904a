// The driver for each service in the topology.
import type { BackendDriver } from './driver.ts';
import { consul } from './services/consul.ts';
import { etcd } from './services/etcd.ts';
import { mysql } from './services/mysql.ts';
import { postgres } from './services/postgres.ts';
import { redis, redlock } from './services/redis.ts';
import { toxiproxy } from './services/toxiproxy.ts';
import { zookeeper } from './services/zookeeper.ts';
import type { ServiceName } from './topology.ts';

const DRIVERS: Record<ServiceName, BackendDriver> = {
  redis,
  redlock,
  etcd,
  zookeeper,
  consul,
  postgres,
  mysql,
  toxiproxy,
};

export function driver(name: ServiceName): BackendDriver {
  return DRIVERS[name];
}
