// pnpm backends up [service…] | down [service…] | status [service…] | env
//                | stop|kill|start|restart|pause|resume <member>
import { backendEnv, formatEnv } from './env.ts';
import { down, status, up } from './launcher.ts';
import { killMember, pauseMember, restartMember, resumeMember, startMember, stopMember } from './members.ts';
import { logFile } from './paths.ts';
import { findMember, isServiceName, SERVICE_NAMES, type ServiceName } from './topology.ts';

const USAGE = `usage: pnpm backends <command>
  up [service…] [--serial]   start what is not serving (docker compose if a Docker engine answers, else native)
  down [service…]            stop what up started
  status [service…] [--json] health of each service (a real write and read; leaders) and its processes
  env                        NAME=value connection settings (source them: set -a; source <(pnpm -s backends env))
  stop|kill <member>         stop one member (kill = SIGKILL), e.g. etcd-2, zookeeper-3, consul-1, redlock-4
  start|restart <member>     start it again and wait until it serves
  pause|resume <member>      SIGSTOP / SIGCONT one process
services: ${SERVICE_NAMES.join(' ')}`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function services(args: string[]): ServiceName[] {
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !isServiceName(n));
  if (unknown.length > 0)
    throw new Error(`unknown service ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);
  return names as ServiceName[];
}

function memberArg(args: string[]): string {
  const name = args[0];
  if (name === undefined) throw new Error('name a member, e.g. etcd-2');
  return findMember(name).name;
}

async function cmdUp(args: string[]): Promise<number> {
  const t0 = performance.now();
  const results = await up(services(args), { serial: args.includes('--serial') });
  for (const r of results) {
    const state = r.state === 'failed' ? 'FAILED' : r.state;
    console.log(`  ${r.service.padEnd(10)} ${state.padEnd(8)} ${seconds(r.ms).padStart(7)}  ${r.detail}`);
    if (r.reason !== undefined) console.log(`             ${r.reason.replace(/\n/g, '\n             ')}`);
  }
  const failed = results.filter((r) => r.state === 'failed');
  console.log(
    `backends up: ${results.length - failed.length}/${results.length} serving in ${seconds(performance.now() - t0)}`,
  );
  return failed.length > 0 ? 1 : 0;
}

async function cmdStatus(args: string[]): Promise<number> {
  const report = await status(services(args));
  if (args.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`mode: ${report.mode}`);
    for (const s of report.services) {
      console.log(`${s.health.ok ? 'healthy  ' : 'unhealthy'} ${s.service.padEnd(10)} ${s.health.detail}`);
      for (const m of s.members) {
        const h = s.health.members.find((x) => x.name === m.name);
        const ports = Object.entries(m.ports)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        const proc = m.pid === undefined ? m.process : `${m.process} pid ${m.pid}`;
        console.log(
          `    ${m.name.padEnd(12)} ${(h?.role ?? (h?.ok ? 'ok' : 'down')).padEnd(9)} ${proc.padEnd(20)} ${ports}  ${logFile(m.name)}`,
        );
      }
    }
  }
  return report.services.every((s) => s.health.ok) ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      return cmdUp(args);
    case 'down': {
      const { stopped, mode } = await down(services(args));
      console.log(
        stopped.length === 0 ? `nothing to stop (${mode})` : `stopped (${mode}): ${stopped.join(' ')}`,
      );
      return 0;
    }
    case 'status':
      return cmdStatus(args);
    case 'env':
      console.log(formatEnv(backendEnv()));
      return 0;
    case 'stop':
      await stopMember(memberArg(args), args.includes('--kill') ? { signal: 'SIGKILL' } : {});
      return 0;
    case 'kill':
      await killMember(memberArg(args));
      return 0;
    case 'start':
      console.log(`${memberArg(args)}: ${await startMember(memberArg(args))}`);
      return 0;
    case 'restart':
      console.log(
        `${memberArg(args)}: ${await restartMember(memberArg(args), args.includes('--kill') ? { signal: 'SIGKILL' } : {})}`,
      );
      return 0;
    case 'pause':
      await pauseMember(memberArg(args));
      return 0;
    case 'resume':
      await resumeMember(memberArg(args));
      return 0;
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`backends: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
