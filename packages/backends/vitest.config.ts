import { defineProject } from 'vitest/config';

// The cluster test starts real servers and kills members: allow it minutes, and run this project
// after every other (groupOrder 1) so killing a leader never disturbs another package's tests.
export default defineProject({
  test: { name: 'backends', testTimeout: 120_000, hookTimeout: 180_000, sequence: { groupOrder: 1 } },
});
