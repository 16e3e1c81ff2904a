import { faultTests } from './fault-tests.ts';

await faultTests(['mysql', 'mysql-lease']);
