// Starts the launcher's PostgreSQL when it is not up, and puts LOCKSMITH_POSTGRES_URL into the
// environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['postgres']);
