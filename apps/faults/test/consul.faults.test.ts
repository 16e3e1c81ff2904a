import { faultTests } from './fault-tests.ts';

await faultTests(['consul']);
