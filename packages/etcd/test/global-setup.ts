// Starts the launcher's 3-member etcd cluster when it is not up, and puts LOCKSMITH_ETCD_ENDPOINTS
// into the environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['etcd']);
