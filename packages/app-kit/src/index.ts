export { commaList, integerIn, type RunFlags, readFlags, readRunFlags, reportId } from './flags.ts';
export { repoRoot, reportsDir, resolveReportDir } from './report-paths.ts';
export { runMain } from './run-main.ts';
export { releaseStartedServers, type StopServers } from './started-servers.ts';
