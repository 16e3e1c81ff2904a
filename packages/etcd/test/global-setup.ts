// Starts the launcher's 3-member etcd cluster (and toxiproxy, for the election partition test)
// when they are not up, and puts LOCKSMITH_ETCD_ENDPOINTS and LOCKSMITH_TOXIPROXY_URL into the
// environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['etcd', 'toxiproxy']);
