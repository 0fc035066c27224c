import { readFileSync } from 'node:fs';
import { CONFIG_VARIABLES } from './config.schema.js';

/** docs/reference/configuration.md is where users learn the variables: a new one must land there too. */
describe('docs/reference/configuration.md', () => {
  const reference = readFileSync(new URL('../../../../docs/reference/configuration.md', import.meta.url), 'utf8');

  it.each(CONFIG_VARIABLES.map((name) => [name]))('documents %s in its table and in a section of its own', (name) => {
    expect(reference).toMatch(new RegExp(`^\\| \\[\`${name}\`\\]\\(#[a-z_-]+\\) \\|`, 'm'));
    expect(reference).toMatch(new RegExp(`^## .*\`${name}\``, 'm'));
  });
});
