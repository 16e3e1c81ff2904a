// Type-checks a fresh project (scripts/lib/fresh-project.ts) under each of its tsconfig.<resolution>.json,
// as `tsc --noEmit -p` would, in one process so that the files the three programs share are parsed
// once. It reports the errors in the project's own files and in the @locksmith declarations they
// load, not those inside @types/node or the client library's typings (their authors' business).
// Usage: node --import tsx scripts/lib/typecheck-project.ts <project dir>   (prints JSON)
import { join } from 'node:path';
import ts from 'typescript';
import { RESOLUTIONS, type TypecheckResult } from './fresh-project.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: typecheck-project.ts <project dir>');

const cache = new Map<string, ts.SourceFile>();
const format: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => dir,
  getNewLine: () => '\n',
};
const ours = (f: ts.SourceFile) =>
  !f.fileName.includes('/node_modules/') || f.fileName.includes('/node_modules/@locksmith/');

const results: Record<string, TypecheckResult> = {};
for (const resolution of Object.keys(RESOLUTIONS)) {
  const t0 = performance.now();
  const config = ts.getParsedCommandLineOfConfigFile(
    join(dir, `tsconfig.${resolution}.json`),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.formatDiagnostic(d, format));
      },
    },
  );
  if (config === undefined) throw new Error(`cannot read tsconfig.${resolution}.json`);
  const host = ts.createCompilerHost(config.options);
  const read = host.getSourceFile.bind(host);
  // A file parses the same way wherever the language version and module format agree.
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
    const key = `${fileName}\0${JSON.stringify(languageVersionOrOptions)}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const file = read(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
    if (file !== undefined) cache.set(key, file);
    return file;
  };
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    configFileParsingDiagnostics: config.errors,
  });
  const diagnostics = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program
      .getSourceFiles()
      .filter(ours)
      .flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  results[resolution] = {
    ok: diagnostics.length === 0,
    seconds: (performance.now() - t0) / 1000,
    output: ts.formatDiagnostics(diagnostics, format),
  };
}
process.stdout.write(`${JSON.stringify(results)}\n`);
