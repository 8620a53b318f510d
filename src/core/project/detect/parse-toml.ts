/** TOML (pyproject.toml, Cargo.toml) with a positioned error; smol-toml builds null-prototype tables. */
import { parse as parseToml, TomlError } from 'smol-toml';
import { type Problem, problem } from '../../problems';

export type Toml = Record<string, unknown>;

export function parseTomlFile(text: string, file: string): { value: Toml; problems: Problem[] } {
  try {
    return { value: parseToml(text) as Toml, problems: [] };
  } catch (err) {
    if (err instanceof TomlError) {
      const message = err.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'syntax error';
      return { value: {}, problems: [problem(file, err.line, err.column, 'toml-syntax', `invalid TOML: ${message}`)] };
    }
    return { value: {}, problems: [problem(file, 1, 1, 'toml-syntax', `invalid TOML: ${(err as Error).message}`)] };
  }
}

/**
 * For a document that does not parse: the tables its `[header]` lines declare, as empty nested tables,
 * so detection still learns e.g. that `[tool.ruff]` and `[tool.poetry]` are there.
 */
export function tomlSkeleton(text: string): Toml {
  const root: Toml = Object.create(null);
  for (const m of text.matchAll(/^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?/gm)) {
    let node = root;
    for (const key of (m[1] ?? '').split('.')) {
      if (!key) break;
      const next = node[key];
      if (typeof next === 'object' && next !== null) node = next as Toml;
      else {
        const created: Toml = Object.create(null);
        node[key] = created;
        node = created;
      }
    }
  }
  return root;
}
