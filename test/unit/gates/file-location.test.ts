import * as assert from 'node:assert/strict';
import { isAbsolutePath, isOutsideProject, projectDiagnostics } from '../../../src/core/gates/diagnostic';
import {
  expandBase,
  normalizeAbsolute,
  resolvePrintedPath,
  toProjectRelative,
  toSlashes,
} from '../../../src/core/gates/file-location';
import { matchOutput } from '../../../src/core/gates/matcher-session';
import type { MatcherSpec } from '../../../src/core/gates/matcher-spec';

/** `${name}`: VS Code's variable syntax, spelled without a template literal. */
const v = (name: string): string => ['$', '{', name, '}'].join('');

const ctx = { root: '/work/proj' };

function matcher(fileLocation: MatcherSpec['fileLocation']): MatcherSpec {
  return {
    name: 'm',
    source: 'm',
    fileLocation,
    pattern: { regexp: '^(.+?):(\\d+):(\\d+): (.*)$', file: 1, line: 2, column: 3, message: 4 },
  };
}

describe('file locations', () => {
  describe('path text', () => {
    it('recognizes POSIX, Windows drive and UNC absolute paths', () => {
      for (const p of ['/a/b', 'C:/a', 'c:\\a', '\\\\server\\share', '//server/share']) assert.ok(isAbsolutePath(p), p);
      for (const p of ['a/b', './a', '../a', 'C:', 'C:a', '']) assert.ok(!isAbsolutePath(p), p);
    });

    it('normalizes separators, dot segments, duplicate slashes, quotes and file:// URIs', () => {
      assert.equal(toSlashes('src\\lib\\a.ts'), 'src/lib/a.ts');
      assert.equal(toSlashes('"src/a b.ts"'), 'src/a b.ts');
      assert.equal(toSlashes('file:///work/proj/src/a%20b.ts'), '/work/proj/src/a b.ts');
      assert.equal(toSlashes('file:///C:/proj/a.ts'), 'C:/proj/a.ts');
      assert.equal(normalizeAbsolute('/work/proj/./src//lib/../a.ts'), '/work/proj/src/a.ts');
      assert.equal(normalizeAbsolute('C:\\proj\\src\\..\\a.ts'), 'C:/proj/a.ts');
      assert.equal(normalizeAbsolute('/work/proj/'), '/work/proj');
      assert.equal(normalizeAbsolute('\\\\server\\share\\a.cs'), '//server/share/a.cs');
    });

    it('makes paths inside the root relative and leaves the rest absolute', () => {
      assert.equal(toProjectRelative('/work/proj', '/work/proj/src/a.ts'), 'src/a.ts');
      assert.equal(toProjectRelative('/work/proj', '/work/proj-evil/a.ts'), '/work/proj-evil/a.ts');
      assert.equal(toProjectRelative('/work/proj', '/usr/include/stdio.h'), '/usr/include/stdio.h');
      assert.equal(
        toProjectRelative('C:/Proj', 'c:/proj/src/a.ts'),
        'src/a.ts',
        'drive paths compare case-insensitively',
      );
      assert.equal(toProjectRelative('/work/proj', '/work/proj'), '.');
    });

    it('expands the root, workspaceFolder and cwd variables in a base directory', () => {
      assert.equal(expandBase(v('cwd'), '/r', '/r/sub'), '/r/sub');
      assert.equal(expandBase(`${v('workspaceFolder')}/pkg`, '/r', '/r/sub'), '/r/pkg');
      assert.equal(expandBase(v('root'), '/r', '/x'), '/r');
      assert.equal(expandBase('packages/web', '/r', '/x'), '/r/packages/web');
    });
  });

  describe('relative, absolute, autoDetect, search', () => {
    it('relative: joined to the base; an absolute path stays absolute', () => {
      assert.equal(resolvePrintedPath('src/a.ts', 'relative', '/work/proj/web', ctx), '/work/proj/web/src/a.ts');
      assert.equal(resolvePrintedPath('/work/proj/src/a.ts', 'relative', '/work/proj/web', ctx), '/work/proj/src/a.ts');
    });

    it('absolute: kept; a relative path is resolved against the base rather than prefixed with /', () => {
      assert.equal(resolvePrintedPath('C:\\proj\\a.cs', 'absolute', '/x', ctx), 'C:/proj/a.cs');
      assert.equal(resolvePrintedPath('src/a.cs', 'absolute', '/work/proj', ctx), '/work/proj/src/a.cs');
    });

    it('autoDetect: relative to the base when that file exists, else the project root, else absolute', () => {
      const files = new Set(['/work/proj/src/main.rs', '/work/proj/crates/core/src/lib.rs']);
      const exists = (p: string): boolean => files.has(p);
      const c = { root: '/work/proj', exists };
      assert.equal(
        resolvePrintedPath('src/lib.rs', 'autoDetect', '/work/proj/crates/core', c),
        '/work/proj/crates/core/src/lib.rs',
      );
      assert.equal(
        resolvePrintedPath('src/main.rs', 'autoDetect', '/work/proj/crates/core', c),
        '/work/proj/src/main.rs',
      );
      assert.equal(resolvePrintedPath('/opt/lib.rs', 'autoDetect', '/work/proj', c), '/opt/lib.rs');
      // VS Code's relative-first: `/src/main.rs` that only exists under the base.
      assert.equal(resolvePrintedPath('/src/main.rs', 'autoDetect', '/work/proj', c), '/work/proj/src/main.rs');
      // Nothing known about the disk: relative to the base.
      assert.equal(resolvePrintedPath('src/x.rs', 'autoDetect', '/work/proj/a', ctx), '/work/proj/a/src/x.rs');
    });

    it('search: a name found nowhere else is looked up among the known files by its tail', () => {
      const r = matchOutput('    calc_test.go:7:1: boom\nutil.go:1:1: ambiguous', [matcher(['search', v('cwd')])], {
        root: '/work/proj',
        knownFiles: ['calc/calc_test.go', 'a/util.go', 'b/util.go', 'go.mod'],
      });
      assert.deepEqual(
        r.diagnostics.map((d) => d.file),
        ['calc/calc_test.go', 'util.go'],
      );
    });

    it('uses the session cwd as the base by default', () => {
      const r = matchOutput('src/a.ts:1:1: x', [matcher(undefined)], { root: '/work/proj', cwd: 'packages/web' });
      assert.equal(r.diagnostics[0]!.file, 'packages/web/src/a.ts');
    });

    it('reads Windows paths in tool output and makes them project-relative', () => {
      const r = matchOutput('C:\\proj\\src\\a.ts:3:4: bad', [matcher('absolute')], { root: 'C:\\proj' });
      assert.equal(r.diagnostics[0]!.file, 'src/a.ts');
    });
  });

  describe('files outside the project', () => {
    it('keep their absolute path, which is the flag project-scoped views filter on', () => {
      const r = matchOutput('/usr/include/stdio.h:1:1: note\nsrc/a.c:2:2: error', [matcher('autoDetect')], {
        root: '/work/proj',
      });
      assert.deepEqual(
        r.diagnostics.map((d) => [d.file, isOutsideProject(d)]),
        [
          ['/usr/include/stdio.h', true],
          ['src/a.c', false],
        ],
      );
      assert.deepEqual(
        projectDiagnostics(r.diagnostics).map((d) => d.file),
        ['src/a.c'],
      );
    });
  });
});
