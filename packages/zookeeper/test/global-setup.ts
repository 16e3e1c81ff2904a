// Starts the launcher's 3-node ZooKeeper ensemble (and toxiproxy, for the lost-reply and
// partition tests) when they are not up, and puts LOCKSMITH_ZOOKEEPER_HOSTS and
// LOCKSMITH_ZOOKEEPER_PROXY_HOSTS into the environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['zookeeper', 'toxiproxy']);
