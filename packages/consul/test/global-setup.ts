// Starts the launcher's 3-server Consul cluster (and toxiproxy, for the election partition test)
// when they are not up, and puts LOCKSMITH_CONSUL_ADDRS and LOCKSMITH_TOXIPROXY_URL into the
// environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['consul', 'toxiproxy']);
