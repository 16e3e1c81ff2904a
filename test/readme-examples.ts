// Compiles the ```ts and ```js blocks of every README against the built packages, as a user's
// project would see them: nodenext resolution, strict, `@locksmith/*` through node_modules.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';

export const root = join(import.meta.dirname, '..');

/** One code block of a README. */
export interface Example {
  /** README path relative to the repository root. */
  readonly readme: string;
  /** 1-based line of the block's first code line in the README. */
  readonly line: number;
  readonly lang: 'ts' | 'js';
  readonly code: string;
  /**
   * Declarations compiled before the block but not shown, from an HTML comment right above it:
   * `<!-- example setup: declare const locks: LockClient; -->`. For a block that continues an
   * earlier one or names the reader's own objects.
   */
  readonly setup: string;
  /** Why the block is not compiled, from `<!-- example skipped: reason -->` right above it. */
  readonly skipped?: string;
}

const LANGS: Record<string, 'ts' | 'js'> = { ts: 'ts', typescript: 'ts', js: 'js', javascript: 'js' };
const DIRECTIVE = /^<!--\s*example (setup|skipped):([\s\S]*?)-->$/;

/** The ts/js blocks of one README, with the `<!-- example ... -->` directive each carries. */
export function extractExamples(markdown: string, readme: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(\S*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end === -1) throw new Error(`${readme}:${i + 1}: code block is never closed`);
    const lang = LANGS[open[1] ?? ''];
    if (lang !== undefined) {
      const directive = directiveAbove(lines, i, readme);
      examples.push({
        readme,
        line: i + 2,
        lang,
        code: lines.slice(i + 1, end).join('\n'),
        setup: directive?.kind === 'setup' ? directive.text : '',
        ...(directive?.kind === 'skipped' ? { skipped: directive.text } : {}),
      });
    }
    i = end;
  }
  return examples;
}

function directiveAbove(lines: string[], fence: number, readme: string) {
  const last = fence - 1;
  if (!(lines[last] ?? '').trimEnd().endsWith('-->')) return undefined;
  let first = last;
  while (first > 0 && !(lines[first] ?? '').startsWith('<!--')) first -= 1;
  const comment = lines.slice(first, last + 1).join('\n');
  if (!/^<!--\s*example\b/.test(comment)) return undefined;
  const match = DIRECTIVE.exec(comment);
  if (!match) throw new Error(`${readme}:${first + 1}: unknown example directive ${JSON.stringify(comment)}`);
  const text = (match[2] ?? '').trim();
  if (match[1] === 'skipped' && text === '')
    throw new Error(`${readme}:${first + 1}: a skipped example needs a reason`);
  return { kind: match[1] as 'setup' | 'skipped', text };
}

/** Every README of the repository: the root one, each package's and app's, the bench's. */
export function readmes(): string[] {
  const found = ['README.md'];
  for (const parent of ['packages', 'apps']) {
    for (const dir of readdirSync(join(root, parent)).sort()) {
      if (existsSync(join(root, parent, dir, 'README.md'))) found.push(`${parent}/${dir}/README.md`);
    }
  }
  if (existsSync(join(root, 'bench', 'README.md'))) found.push('bench/README.md');
  return found;
}

/**
 * The reader's own objects that examples name without defining (their store, their business
 * functions): declared once here rather than in a setup comment on every block.
 */
const READER_GLOBALS = `
interface FencedWrite { readonly fence: bigint; readonly signal?: AbortSignal }
declare const store: { write(row: unknown, options: FencedWrite): Promise<void> };
declare const row: unknown;
declare function charge(invoice: number, options: FencedWrite): Promise<void>;
declare function chargeInvoice(invoice: number, options: FencedWrite): Promise<void>;
declare function writeReport(options: FencedWrite): Promise<void>;
declare function runScheduler(options: FencedWrite): Promise<void>;
`;

/** A user's tsconfig: TypeScript's defaults for nodenext plus `strict`, checking JS blocks too. */
const COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023', 'ESNext.Disposable'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  allowJs: true,
  checkJs: true,
  types: ['node'],
};

/** A compile error, mapped back to its README line. */
export interface ExampleError {
  readonly where: string;
  readonly message: string;
}

/**
 * Writes every compiled example into a scratch project whose node_modules links each published
 * package and the packages' own dependencies, compiles them in one program, and returns the errors.
 */
export function compileExamples(examples: readonly Example[]): ExampleError[] {
  const dir = mkdtempSync(join(tmpdir(), 'locksmith-readme-examples-'));
  try {
    return compileIn(dir, examples);
  } finally {
    rmSync(dir, { recursive: true, force: true }); // removes the links, not what they point to
  }
}

function compileIn(dir: string, examples: readonly Example[]): ExampleError[] {
  linkNodeModules(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'reader-globals.d.ts'), READER_GLOBALS);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: COMPILER_OPTIONS, include: ['*.ts', '*.js'] }, null, 2),
  );
  const files = new Map<string, { example: Example; setupLines: number }>();
  for (const example of examples) {
    if (example.skipped !== undefined) continue;
    const name = `${example.readme.replace(/\/?README\.md$/, '').replace(/\W+/g, '-') || 'root'}-L${example.line}.${example.lang}`;
    const setup = example.setup === '' ? '' : `${example.setup}\n`;
    // `export {}` keeps a block without imports a module (top-level await, no global clashes).
    writeFileSync(join(dir, name), `${setup}${example.code}\nexport {};\n`);
    files.set(join(dir, name), { example, setupLines: setup === '' ? 0 : setup.split('\n').length - 1 });
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (parsed === undefined) throw new Error('could not read the examples tsconfig');
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  // Errors inside a private package's unbuilt source (compiled with these options) are the
  // repository typecheck's business; what an example gets wrong shows in the example's own file.
  const inExample = (d: ts.Diagnostic) => d.file === undefined || !d.file.fileName.startsWith(`${root}/`);
  return ts
    .getPreEmitDiagnostics(program)
    .filter(inExample)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const entry = d.file === undefined ? undefined : files.get(d.file.fileName);
      if (d.file === undefined || d.start === undefined || entry === undefined) {
        return { where: d.file?.fileName ?? dir, message: `TS${d.code}: ${message}` };
      }
      const fileLine = d.file.getLineAndCharacterOfPosition(d.start).line;
      const { example, setupLines } = entry;
      const where =
        fileLine < setupLines
          ? `${example.readme}:${example.line - 2} (its example setup comment)`
          : `${example.readme}:${example.line + fileLine - setupLines}`;
      return { where, message: `TS${d.code}: ${message}` };
    });
}

/**
 * node_modules of the scratch project: `@locksmith/<name>` for each workspace package (a published
 * one through its exports map to its built dist), and every package a workspace package depends
 * on, linked to the copy that package resolves, so a README may import what its users install.
 */
function linkNodeModules(modules: string): void {
  mkdirSync(join(modules, '@locksmith'), { recursive: true });
  const link = (name: string, target: string) => {
    const path = join(modules, name);
    if (existsSync(path)) return;
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(realpathSync(target), path, 'dir');
  };
  const sources = [join(root, 'node_modules')];
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgPath = join(root, 'packages', dir, 'package.json');
    if (!existsSync(pkgPath)) continue;
    // Private ones too: the root README shows contributors `@locksmith/backends`.
    link((JSON.parse(readFileSync(pkgPath, 'utf8')) as { name: string }).name, join(root, 'packages', dir));
    sources.unshift(join(root, 'packages', dir, 'node_modules'));
  }
  for (const source of sources) {
    if (!existsSync(source)) continue;
    for (const entry of readdirSync(source)) {
      if (entry.startsWith('.') || entry === '@locksmith') continue;
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(source, entry)))
          link(`${entry}/${scoped}`, join(source, entry, scoped));
      } else link(entry, join(source, entry));
    }
  }
}
