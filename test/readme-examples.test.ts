import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExamples, extractExamples, readmes, root } from './readme-examples.ts';

describe('extractExamples', () => {
  it('takes ts and js blocks with their line, setup and skip reason, and leaves other languages', () => {
    const markdown = [
      '# t', //                                              1
      '```ts', //                                            2
      "import { a } from 'a';", //                           3
      '```', //                                              4
      '```sh', //                                            5
      'pnpm x', //                                           6
      '```', //                                              7
      '<!-- example setup: declare const locks: unknown; -->',
      '```js', //                                            9
      'locks;', //                                           10
      '```',
      '<!-- example skipped:',
      'an excerpt of src/types.ts -->',
      '```ts',
      'interface X { y: Y }',
      '```',
    ].join('\n');
    expect(extractExamples(markdown, 'R.md')).toEqual([
      { readme: 'R.md', line: 3, lang: 'ts', code: "import { a } from 'a';", setup: '' },
      { readme: 'R.md', line: 10, lang: 'js', code: 'locks;', setup: 'declare const locks: unknown;' },
      {
        readme: 'R.md',
        line: 15,
        lang: 'ts',
        code: 'interface X { y: Y }',
        setup: '',
        skipped: 'an excerpt of src/types.ts',
      },
    ]);
  });

  it('rejects a misspelt directive, a skip without a reason and an unclosed block', () => {
    expect(() => extractExamples('<!-- example skip: x -->\n```ts\n1\n```', 'R.md')).toThrow(
      /R.md:1: unknown example directive/,
    );
    expect(() => extractExamples('<!-- example skipped: -->\n```ts\n1\n```', 'R.md')).toThrow(
      /needs a reason/,
    );
    expect(() => extractExamples('```ts\n1\n', 'R.md')).toThrow(/R.md:1: code block is never closed/);
  });
});

describe('README examples', () => {
  const examples = readmes().flatMap((readme) =>
    extractExamples(readFileSync(join(root, readme), 'utf8'), readme),
  );

  it('cover the root README and every package README with code', () => {
    const withExamples = new Set(examples.map((e) => e.readme));
    expect(withExamples).toContain('README.md');
    expect(withExamples).toContain('packages/core/README.md');
    expect(withExamples).toContain('packages/redis/README.md');
  });

  it('skip only the blocks that say why, and few of them', () => {
    const skipped = examples.filter((e) => e.skipped !== undefined).map((e) => `${e.readme}:${e.line}`);
    expect(skipped.length).toBeLessThanOrEqual(3);
  });

  // Needs the packages built (`pnpm test` builds first): examples import their dist types.
  it('compile under nodenext and strict against the built packages', { timeout: 120_000 }, () => {
    const errors = compileExamples(examples).map((e) => `${e.where}: ${e.message}`);
    expect(errors).toEqual([]);
  });
});
