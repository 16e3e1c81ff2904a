// SHARED-SERVER FAULTS — opt-in: the fault suite's faults that kill the launcher's shared servers:
// `member` on etcd, ZooKeeper and Consul (a follower, then the leader, killed and started again)
// and `restart` on MariaDB, each only with its LOCKSMITH_<X>_MEMBER_FAULTS=1. Its own project
// (faults-member), run after every other, even the other member-fault projects.
import { faultTests } from './fault-tests.ts';

// mysql and mysql-lease restart the same MariaDB: their runs take turns (fault-tests.ts), as a
// restart inside the other's run met its fresh client with ECONNREFUSED in the first CI run.
await faultTests(['etcd', 'zookeeper', 'consul', 'mysql', 'mysql-lease'], 'shared');
