// The fault suite's file-lock client (one per worker process): locks in LOCKSMITH_FAULTS_FILE_DIR.
import { fileLocks } from '@locksmith/file';
import { required } from './env.ts';

export function createClient(env: NodeJS.ProcessEnv) {
  return fileLocks({ dir: required(env, 'LOCKSMITH_FAULTS_FILE_DIR') });
}
