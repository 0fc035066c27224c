import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentationFiles, linkProblems, parseMarkdown } from './markdown-links.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('links in README.md and docs/', () => {
  it('all resolve inside the repository, to files, folders and headings that exist', () => {
    const files = documentationFiles(root);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/deploy.md', 'docs/reference/index.md', 'docs/reference/admin-api.md']));
    expect(linkProblems(root, files)).toEqual([]);
  });

  it('finds links wherever Markdown puts them: text, tables, lists, images, reference links, HTML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-links-'));
    try {
      writeFileSync(
        path.join(dir, 'README.md'),
        [
          '# Title',
          '',
          'See [a](a.md), ![b](b.png) and [c][ref].',
          '',
          '| x |',
          '| --- |',
          '| [d](d.md) |',
          '',
          '- [e](e.md#part)',
          '',
          '<img src="f.png">',
          '',
          '`[not](a-link.md)` and [web](https://example.com)',
          '',
          '[ref]: c.md',
        ].join('\n'),
      );
      expect(parseMarkdown(path.join(dir, 'README.md')).links).toEqual(['a.md', 'b.png', 'c.md', 'd.md', 'e.md#part', 'f.png', 'https://example.com']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a link outside the repository, a missing file, a missing heading and an absolute path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-links-'));
    try {
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'docs/guide.md'), '# Guide\n\n## Backups and restore\n\n[top](../README.md#tessera)\n');
      writeFileSync(
        path.join(dir, 'README.md'),
        [
          '# Tessera',
          '',
          'The contract is [../shared/CONTRACT.md](../shared/CONTRACT.md).',
          'Read [the guide](docs/guide.md#backups-and-restore), [gone](docs/gone.md),',
          '[wrong part](docs/guide.md#restore), [rooted](/docs/guide.md) and [here](#tessera).',
        ].join('\n'),
      );
      expect(linkProblems(dir)).toEqual([
        'README.md: ../shared/CONTRACT.md: points outside the repository (a user who clones it does not have it)',
        'README.md: docs/gone.md: no such file or folder in the repository',
        'README.md: docs/guide.md#restore: no heading with the anchor #restore',
        'README.md: /docs/guide.md: an absolute path: GitHub and local viewers read it differently, use a relative link',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
