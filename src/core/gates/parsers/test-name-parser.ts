/** A `testName` matcher (one regular expression naming a failing test) run as a parser. */
import type { CompiledTestNameMatcher } from '../compile-matcher';
import type { ParserSink, StructuredParser } from './structured-parser';

export function createTestNameParser(matcher: CompiledTestNameMatcher, sink: ParserSink): StructuredParser {
  const { regexp, name, file, line, message } = matcher.testName;
  return {
    push(text: string): void {
      const m = regexp.exec(text);
      if (!m) return;
      const id = m[name]?.trim();
      if (!id) return;
      sink.claim();
      const lineNo = line !== undefined && m[line] ? Number.parseInt(m[line], 10) : undefined;
      sink.failedTest({
        id,
        ...(file !== undefined && m[file] ? { file: m[file].trim() } : {}),
        ...(lineNo !== undefined && !Number.isNaN(lineNo) ? { line: lineNo } : {}),
        ...(message !== undefined && m[message] ? { message: m[message].trim() } : {}),
      });
    },
    end(): void {},
  };
}
