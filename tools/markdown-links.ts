// Checks the links of the repository's own documentation (README.md and docs/): a user who clones
// the repository must be able to follow every one of them. Used by markdown-links.spec.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Lexer, type Token, type Tokens } from 'marked';

/** README.md and every Markdown file under docs/, as paths relative to `root`. */
export function documentationFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) files.push(relative);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk('docs');
  return files.filter((file) => existsSync(path.join(root, file)));
}

interface Parsed {
  links: string[];
  anchors: Set<string>;
}

const parsed = new Map<string, Parsed>();

/** Link and image targets of a Markdown file (reference links resolved), and its heading anchors. */
export function parseMarkdown(file: string): Parsed {
  const cached = parsed.get(file);
  if (cached) return cached;
  const tokens = Lexer.lex(readFileSync(file, 'utf8'), { gfm: true });
  const links: string[] = [];
  const headings: string[] = [];
  const visit = (list: readonly Token[]): void => {
    for (const token of list) {
      if (token.type === 'link' || token.type === 'image') links.push((token as Tokens.Link | Tokens.Image).href);
      if (token.type === 'heading') headings.push(plainText((token as Tokens.Heading).tokens));
      if (token.type === 'html') links.push(...htmlTargets((token as Tokens.HTML).text));
      for (const child of childTokens(token)) visit(child);
    }
  };
  visit(tokens);
  const result = { links, anchors: anchorsOf(headings) };
  parsed.set(file, result);
  return result;
}

function childTokens(token: Token): Array<readonly Token[]> {
  const children: Array<readonly Token[]> = [];
  const withTokens = token as { tokens?: Token[]; items?: Array<{ tokens: Token[] }>; header?: Array<{ tokens: Token[] }>; rows?: Array<Array<{ tokens: Token[] }>> };
  if (withTokens.tokens) children.push(withTokens.tokens);
  for (const item of withTokens.items ?? []) children.push(item.tokens);
  for (const cell of withTokens.header ?? []) children.push(cell.tokens);
  for (const row of withTokens.rows ?? []) for (const cell of row) children.push(cell.tokens);
  return children;
}

function plainText(tokens: readonly Token[]): string {
  return tokens.map((token) => ('tokens' in token && token.tokens ? plainText(token.tokens) : 'text' in token ? String(token.text) : '')).join('');
}

function htmlTargets(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src)\s*=\s*"([^"]*)"/gi)].map((match) => match[1]!);
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(headings: readonly string[]): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const heading of headings) {
    const base = heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/**
 * Every problem of the documentation's links, as `file: link: why`. Web links (a scheme such as
 * https: or mailto:) are not followed; every other link must name a file or folder inside the
 * repository that exists, and a `#fragment` into a Markdown file must name one of its headings.
 */
export function linkProblems(root: string, files: readonly string[] = documentationFiles(root)): string[] {
  const problems: string[] = [];
  const top = path.resolve(root);
  for (const file of files) {
    const absolute = path.join(top, file);
    for (const link of parseMarkdown(absolute).links) {
      const problem = checkLink(top, absolute, link);
      if (problem) problems.push(`${file}: ${link}: ${problem}`);
    }
  }
  return problems;
}

function checkLink(top: string, from: string, link: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return undefined;
  if (link.startsWith('//')) return 'a protocol-relative URL: write https://';
  const hashAt = link.indexOf('#');
  const target = decodeURIComponent(hashAt === -1 ? link : link.slice(0, hashAt));
  const fragment = hashAt === -1 ? undefined : link.slice(hashAt + 1);
  if (target.startsWith('/')) return 'an absolute path: GitHub and local viewers read it differently, use a relative link';
  const resolved = target === '' ? from : path.resolve(path.dirname(from), target.split('?')[0]!);
  const inside = path.relative(top, resolved);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return 'points outside the repository (a user who clones it does not have it)';
  if (!existsSync(resolved)) return 'no such file or folder in the repository';
  if (fragment !== undefined && fragment !== '' && resolved.endsWith('.md') && statSync(resolved).isFile()) {
    if (!parseMarkdown(resolved).anchors.has(decodeURIComponent(fragment).toLowerCase())) return `no heading with the anchor #${fragment}`;
  }
  return undefined;
}
