import { faultTests } from './fault-tests.ts';

await faultTests(['postgres', 'postgres-lease']);
