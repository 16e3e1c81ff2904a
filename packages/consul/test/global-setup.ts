// Starts the launcher's 3-server Consul cluster when it is not up, and puts LOCKSMITH_CONSUL_ADDRS
// into the environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['consul']);
