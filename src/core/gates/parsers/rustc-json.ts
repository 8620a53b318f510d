/**
 * `cargo build/check/clippy --message-format=json` (and `rustc --error-format=json`): one JSON object per line.
 * Compiler messages become problems at their primary spans (following a macro expansion back to the call site
 * when the span is inside a macro's own pseudo-file), with the rustc level as severity and the error code
 * (`E0308`, `clippy::needless_return`) as code. Everything else on the line stream is ignored.
 */
import type { Severity } from '../../problems';
import type { ParserSink, StructuredParser } from './structured-parser';

interface RustSpan {
  file_name?: unknown;
  line_start?: unknown;
  line_end?: unknown;
  column_start?: unknown;
  column_end?: unknown;
  is_primary?: unknown;
  expansion?: { span?: RustSpan } | null;
}

interface RustMessage {
  message?: unknown;
  level?: unknown;
  code?: { code?: unknown } | null;
  spans?: unknown;
}

const LEVELS: Record<string, Severity | undefined> = {
  error: 'error',
  'error: internal compiler error': 'error',
  warning: 'warning',
  note: 'info',
  help: 'info',
};

export function createRustcJsonParser(sink: ParserSink): StructuredParser {
  return {
    acceptsLongLines: true,
    push(line: string): void {
      // Cheap test first: most lines of a build are not compiler messages.
      if (line.charCodeAt(0) !== 123 /* { */ || !line.includes('"message"')) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      if (!parsed || typeof parsed !== 'object') return;
      const obj = parsed as { reason?: unknown; message?: RustMessage; $message_type?: unknown };
      // cargo wraps rustc's message; rustc --error-format=json prints it bare.
      const msg: RustMessage | undefined =
        obj.reason === 'compiler-message'
          ? obj.message
          : obj.$message_type === 'diagnostic'
            ? (obj as RustMessage)
            : undefined;
      if (!msg || typeof msg.message !== 'string' || !Array.isArray(msg.spans)) return;
      sink.claim();
      const severity = LEVELS[String(msg.level)];
      if (!severity) return; // failure-note and friends
      const code = typeof msg.code?.code === 'string' ? msg.code.code : undefined;
      for (const raw of msg.spans as RustSpan[]) {
        if (raw?.is_primary !== true) continue;
        const span = callSite(raw);
        const file = span.file_name;
        const line = span.line_start;
        const column = span.column_start;
        if (typeof file !== 'string' || typeof line !== 'number' || typeof column !== 'number') continue;
        const endLine = typeof span.line_end === 'number' ? span.line_end : line;
        const endColumn = typeof span.column_end === 'number' ? span.column_end : column;
        sink.problem({
          file,
          location: { line, column, endLine, endColumn },
          severity,
          message: msg.message,
          ...(code ? { code } : {}),
        });
      }
    },
    end(): void {},
  };
}

/** A span inside `<std macros>`-style pseudo-files is reported where the macro was called. */
function callSite(span: RustSpan): RustSpan {
  let s = span;
  for (let i = 0; i < 32 && typeof s.file_name === 'string' && s.file_name.startsWith('<') && s.expansion?.span; i++) {
    s = s.expansion.span;
  }
  return s;
}
