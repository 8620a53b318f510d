/** The structured parsers shipped with the product, by the name a matcher spec uses. */
import type { StructuredParserName } from '../matcher-spec';
import { createJestParser } from './jest';
import { createPytestParser } from './pytest';
import { createRustcJsonParser } from './rustc-json';
import type { ParserSink, StructuredParser } from './structured-parser';
import { createVitestParser } from './vitest';

export const STRUCTURED_PARSERS: Record<StructuredParserName, (sink: ParserSink) => StructuredParser> = {
  'rustc-json': createRustcJsonParser,
  pytest: createPytestParser,
  jest: createJestParser,
  vitest: createVitestParser,
};
