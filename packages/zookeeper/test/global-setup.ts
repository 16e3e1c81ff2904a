// Starts the launcher's 3-node ZooKeeper ensemble when it is not up, and puts
// LOCKSMITH_ZOOKEEPER_HOSTS into the environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['zookeeper']);
