/** What the columns of the table mean (report.md, report.html and the root README say the same). */
export const COLUMN_NOTES: readonly [string, string][] = [
  [
    'verdict',
    '`pass`: every safety count below is 0; `FAIL` names what is not; `known gap`: silent losses under a fault the backend documents; `n/a` / `not run`: why the fault did not run',
  ],
  ['acquisitions', 'leases the workers got'],
  [
    'overlaps',
    'a holder entered its critical section while another was in it (by the resource: expected when a paused or cut-off holder resumes)',
  ],
  [
    'stale writes accepted',
    'writes the fencing guard let through although a newer holder had touched the counter: must be 0 (rejected ones in brackets)',
  ],
  ['increments lost', 'writes accepted minus the final counter: must be 0'],
  ['leases lost (reason)', 'leases whose `lease.signal` aborted before release, by `LockLostError` reason'],
  [
    'superseded',
    'leases another worker acquired while their live holder still held them, split by when the holder learnt it: its signal aborted before the other acquire resolved / later, while the holder could not run (paused, not scheduled), and its first read said lost / it read "held" after the other had the lock, or was running and was told afterwards (a silent loss: must be 0)',
  ],
  ['unhandled', 'unhandled rejections and uncaught exceptions in the workers: must be 0'],
  ['recovery ms', 'longest time from the end of a fault to the next acquisition by any worker'],
  [
    'fresh acquire ms',
    'after the run, how long a new client took to acquire the key ("never": the lock was held forever)',
  ],
];
