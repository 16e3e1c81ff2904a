// Starts the launcher's MariaDB (MySQL protocol) server when it is not up, and puts LOCKSMITH_MYSQL_URL
// into the environment.
import { backendsSetup } from '@locksmith/backends/global-setup';

export default backendsSetup(['mysql']);
