// The resource side of fencing: a write lands only if its lock token is not older than the last one.
import { memoryFence } from '@locksmith/fencing';

export function main(): string[] {
  const fence = memoryFence();
  const log: string[] = [];
  let balance = 0;

  // Check and write in one synchronous step, so no other writer can slip in between.
  const write = (token: bigint, amount: number) => {
    if (!fence.acceptSync('account:7', token)) return `token ${token} rejected (stale)`;
    balance = amount;
    return `token ${token} wrote ${amount}`;
  };

  log.push(write(1n, 100)); // holder 1 writes
  log.push(write(2n, 200)); // holder 1's lease expired while it was paused; holder 2 took the lock
  log.push(write(1n, 150)); // holder 1 wakes up and tries to write: fenced off
  log.push(write(2n, 250)); // the current holder writes again: equal tokens are accepted
  log.push(`balance ${balance}, highest token ${fence.highest('account:7')}`);
  return log;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(main().join('\n'));
