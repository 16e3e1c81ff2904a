// PostgreSQL and MariaDB refuse to run as root: when we are root, run them as their system user.
import { chownSync, readFileSync } from 'node:fs';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

export function systemUser(name: string): SystemUser | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name) return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {}
  return undefined;
}

export const isRoot = () => process.getuid?.() === 0;

/** The user to run a database server as: undefined means "as ourselves" (not root). */
export function serverUser(candidates: string[]): SystemUser | undefined {
  if (!isRoot()) return undefined;
  for (const name of candidates) {
    const user = systemUser(name);
    if (user !== undefined) return user;
  }
  return undefined;
}

export function chownTo(path: string, user: SystemUser | undefined): void {
  if (user !== undefined) chownSync(path, user.uid, user.gid);
}
