// MEMBER FAULTS — opt-in: the fault suite's `member` fault on the launcher's shared clusters (a
// follower, then the leader, killed and started again), each with its own LOCKSMITH_<X>_MEMBER_FAULTS=1.
// Its own project (faults-member), run after every other, even the other member-fault projects.
import { faultTests } from './fault-tests.ts';

await faultTests(['etcd', 'zookeeper', 'consul'], 'member');
