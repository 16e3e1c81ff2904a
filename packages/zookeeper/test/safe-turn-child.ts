// Run by safe-turn.test.ts in a process of its own (a native abort must fail the test, not the
// runner). A client's connection is dropped by the server while a watch of it is set; the code that
// continues from the watch's settlement opens a new ZooKeeper client in that same turn, as an
// application reconnecting on a lost lease does. Prints "new client connected" and exits 0, or dies.
import { create, watchGone, ZK } from '../src/zookeeper-client.ts';
import { connect, expireSession, testPrefix } from './servers.ts';

const EPHEMERAL = 1;
const a = await connect();
const path = await create(a, testPrefix('safe-turn'), EPHEMERAL); // goes with a's session
// In the turn the watch settles in: node-zookeeper 7.3 aborts there if a's closed socket is still polled.
const reopened = watchGone(a, path).then(() => connect({ sameTurn: true }));
await expireSession(a); // the server drops a's connection: the watch settles with a session event
const b = await reopened;
console.log(`new client connected (first client's state ${a.state}, expired is ${ZK.EXPIRED_SESSION_STATE})`);
b.close();
a.close();
