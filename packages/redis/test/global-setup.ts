// Starts the launcher's Redis servers (single instance and the five Redlock instances) when they
// are not up, and puts LOCKSMITH_REDIS_URL / LOCKSMITH_REDLOCK_URLS into the environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['redis', 'redlock']);
