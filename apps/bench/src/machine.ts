import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, type as osType, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { MachineInfo } from './results/schema.ts';

export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    memoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    cpuDetail: cpuDetail(),
    virtualization: virtualization(),
  };
}

/** Fields of the first CPU in `/proc/cpuinfo` that identify it beyond its model name. */
function cpuDetail(): string {
  try {
    const first = readFileSync('/proc/cpuinfo', 'utf8').split('\n\n')[0] ?? '';
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(first)?.[1]?.trim();
    return [
      ['vendor', field('vendor_id')],
      ['family', field('cpu family')],
      ['model', field('model')],
      ['stepping', field('stepping')],
      ['microcode', field('microcode')],
      ['MHz', field('cpu MHz')],
      ['cache', field('cache size')],
    ]
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  } catch {
    return 'unknown';
  }
}

/**
 * What virtualizes this machine, all that can be seen: `systemd-detect-virt` (a container or a
 * VM), the CPU's hypervisor flag (a VM under a container too) and the DMI vendor and product.
 */
function virtualization(): string {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return '';
    }
  };
  let detected = '';
  try {
    detected = execFileSync('systemd-detect-virt', [], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch (error) {
    detected = (error as { stdout?: string }).stdout?.trim() ?? ''; // exits 1 with "none" on bare metal
  }
  const flags = /^flags\s*:(.*)$/m.exec(read('/proc/cpuinfo'))?.[1] ?? '';
  const dmi = [read('/sys/class/dmi/id/sys_vendor'), read('/sys/class/dmi/id/product_name')]
    .filter(Boolean)
    .join(' ');
  const parts = [
    detected !== '' && detected !== 'none' ? `systemd-detect-virt: ${detected}` : '',
    /\bhypervisor\b/.test(flags) ? 'VM (hypervisor CPU flag)' : '',
    dmi === '' ? '' : `DMI: ${dmi}`,
  ].filter(Boolean);
  return parts.length === 0 ? 'none' : parts.join('; ');
}
/** The commit the bench ran from and whether the tree had changes; null outside a git checkout. */
export function gitInfo(cwd: string): { commit: string; dirty: boolean } | null {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return null;
  }
}

const require = createRequire(import.meta.url);

/** Installed versions of `names` as this app resolves them; `unknown` when not found. */
export function packageVersions(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...new Set(names)].sort()) {
    out[name] = versionOf(name);
  }
  return out;
}

function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    // Packages without "./package.json" in their exports: walk up from the entry point.
    try {
      let dir = dirname(require.resolve(name));
      for (let i = 0; i < 5; i++, dir = dirname(dir)) {
        try {
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
            name?: string;
            version?: string;
          };
          if (pkg.name === name && pkg.version !== undefined) return pkg.version;
        } catch {}
      }
    } catch {}
    return 'unknown';
  }
}
