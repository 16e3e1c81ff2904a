// The `restart` fault on the launcher's MariaDB: kill -9 of the shared server while locks are held
// and waiters queue, then a start with its data (as packages/mysql's server-restart test does).
// Everyone's MySQL tests use that server, so it runs only with LOCKSMITH_MYSQL_MEMBER_FAULTS=1.
import { killMember, startMember } from '@locksmith/backends';
import type { FaultSkip, ServerFault } from '@locksmith/testkit';

export function sharedMysqlRestart(
  env: Readonly<Record<string, string | undefined>>,
  downMs: number,
): ServerFault | FaultSkip {
  if (env.LOCKSMITH_MYSQL_MEMBER_FAULTS !== '1')
    return {
      skip: 'not-run',
      reason:
        'kills the shared MariaDB server: set LOCKSMITH_MYSQL_MEMBER_FAULTS=1 when nothing else uses it (a private one would take minutes to start)',
    };
  return {
    prepare: async () => ({
      injections: [
        {
          label: 'the MariaDB server killed (kill -9), started again with its data',
          downMs,
          begin: async () => {
            await killMember('mysql');
            return undefined;
          },
          end: async () => {
            await startMember('mysql');
          },
        },
      ],
      dispose: async () => {
        // started again by the injection's end
      },
    }),
  };
}
