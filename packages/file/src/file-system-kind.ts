import { statfs } from 'node:fs/promises';

/**
 * Linux `statfs` magic numbers of file systems that only one running kernel can mount: ext2/3/4,
 * XFS, Btrfs, tmpfs, ramfs, ZFS, F2FS, overlayfs, bcachefs, JFS, ReiserFS. Network and cluster
 * file systems (NFS, SMB, CephFS, FUSE, 9p/virtiofs, GFS2, OCFS2, …) are deliberately absent.
 */
const SINGLE_KERNEL = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x858458f6, 0x2fc12fc1, 0xf2f52010, 0x794c7630, 0xca451a4e,
  0x3153464a, 0x52654973,
]);

/**
 * Whether every process that can reach `dir` runs on this kernel: true only on Linux for a
 * file system in the list above. A lock state written on another boot of such a directory was
 * written before this host rebooted, by a process that no longer runs. `undefined` when `dir`
 * cannot be examined yet (missing).
 */
export async function singleKernelFileSystem(dir: string): Promise<boolean | undefined> {
  if (process.platform !== 'linux') return false;
  try {
    return SINGLE_KERNEL.has((await statfs(dir)).type);
  } catch {
    return undefined;
  }
}
