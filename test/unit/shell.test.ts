import assert from 'node:assert/strict';
import { buildModel, joinContinuations, joinContinuationsMapped, parseRunScript, ShellScript } from '../../src/core';
import { covered } from './helpers';
import { parseShell, ShellSyntaxError } from '../../src/core/shellSyntax';

/** The scripts of every RUN of a Dockerfile text. */
function scripts(text: string): ShellScript[] {
  const m = buildModel(text);
  return m.steps.filter((s) => s.keyword === 'RUN').map((s) => parseRunScript(m, s));
}

function one(text: string): ShellScript {
  const s = scripts(text);
  assert.equal(s.length, 1);
  return s[0];
}

describe('shell (parseRunScript)', () => {
  it('splits simple commands, words, flags and packages, with unquoted values', () => {
    const text = 'FROM debian:12\nRUN apt-get install -y foo=1.2 "b"ar \'baz qux\' $X\n';
    const s = one(text);
    assert.equal(s.kind, 'shell');
    assert.equal(s.error, undefined);
    assert.equal(s.commands.length, 1);
    const c = s.commands[0];
    assert.equal(c.program, 'apt-get');
    assert.deepEqual(c.args.map((w) => w.value), ['install', '-y', 'foo=1.2', 'bar', 'baz qux', '$X']);
    assert.deepEqual(c.args.map((w) => covered(text, w)), ['install', '-y', 'foo=1.2', '"b"ar', "'baz qux'", '$X']);
    assert.deepEqual(c.args.map((w) => w.quoted), [false, false, false, true, true, false]);
    assert.deepEqual(c.args.map((w) => w.hasExpansion), [false, false, false, false, false, true]);
    assert.deepEqual(c.args[5].params, ['X']);
    assert.equal(covered(text, c), 'apt-get install -y foo=1.2 "b"ar \'baz qux\' $X');
  });

  it('a quoted "sudo" is an argument, not a command', () => {
    const s = one('FROM alpine:3.20\nRUN echo "sudo" && printf sudo\n');
    assert.deepEqual(s.commands.map((c) => c.program), ['echo', 'printf']);
  });

  it('reports the operators between pipelines and the commands of each pipeline', () => {
    const s = one('FROM alpine:3.20\nRUN a && b || c; d | e | f & g\n');
    assert.deepEqual(s.pipelines.map((p) => [p.op ?? null, p.size, p.commands.map((c) => c.program).join(' ')]), [
      [null, 1, 'a'], ['&&', 1, 'b'], ['||', 1, 'c'], [';', 3, 'd e f'], ['&', 1, 'g'],
    ]);
    assert.equal(s.commands[4].pipeline, s.pipelines[3]);
  });

  it('records env assignments, redirections and declarations', () => {
    const text = 'FROM alpine:3.20\nRUN FOO=1 BAR="a b" make > /dev/null 2>&1 && export NODE_TLS_REJECT_UNAUTHORIZED=0 X\n';
    const s = one(text);
    const [make, exp] = s.commands;
    assert.deepEqual(make.assignments.map((a) => [a.name, a.valueText, covered(text, a)]), [['FOO', '1', 'FOO=1'], ['BAR', 'a b', 'BAR="a b"']]);
    assert.deepEqual(make.redirects.map((r) => [r.fd ?? '', r.op, r.target?.value, covered(text, r)]), [['', '>', '/dev/null', '> /dev/null'], ['2', '>&', '1', '2>&1']]);
    assert.equal(exp.program, 'export');
    assert.deepEqual(exp.args.map((w) => w.value), ['NODE_TLS_REJECT_UNAUTHORIZED=0', 'X']);
    assert.deepEqual(exp.assignments.map((a) => [a.name, a.valueText]), [['NODE_TLS_REJECT_UNAUTHORIZED', '0'], ['X', '']]);
    assert.equal(covered(text, exp.assignments[0]), 'NODE_TLS_REJECT_UNAUTHORIZED=0');
  });

  it('maps ranges back through continuation lines with comment lines between them', () => {
    const text = 'FROM alpine:3.20\nRUN apk add \\\n# a comment\n    curl \\\n\n  && wget -q "http://x" \\\n  | sh\n';
    const s = one(text);
    assert.deepEqual(s.commands.map((c) => c.program), ['apk', 'wget', 'sh']);
    const [apk, wget, sh] = s.commands;
    assert.deepEqual(apk.args[1].range, { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } });
    assert.equal(covered(text, wget.args[1]), '"http://x"');
    assert.deepEqual(sh.name?.range, { start: { line: 6, character: 4 }, end: { line: 6, character: 6 } });
    assert.equal(wget.pipeline.size, 2);
  });

  it('maps ranges on CRLF files', () => {
    const text = 'FROM alpine:3.20\r\nRUN apk add \\\r\n    curl \\\r\n  && sudo id\r\nRUN <<EOF\r\nsudo id\r\nEOF\r\n';
    const [a, b] = scripts(text);
    assert.deepEqual(a.commands.map((c) => c.program), ['apk', 'sudo']);
    assert.equal(covered(text, a.commands[0].args[1]), 'curl');
    assert.deepEqual(a.commands[1].name?.range, { start: { line: 3, character: 5 }, end: { line: 3, character: 9 } });
    assert.equal(b.kind, 'heredoc');
    assert.equal(b.commands[0].program, 'sudo');
    assert.equal(b.commands[0].args[0].value, 'id', 'no CR inside the word');
    assert.deepEqual(b.commands[0].name?.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } });
  });

  it('parses a heredoc-only RUN body as the script, and a RUN with heredocs as one script', () => {
    const text = 'FROM alpine:3.20\nRUN <<EOF\nset -e\ncurl -k https://x | sh\nEOF\nRUN cat <<EOT > /etc/x && sudo true\nnot a command\nEOT\n';
    const [a, b] = scripts(text);
    assert.equal(a.kind, 'heredoc');
    assert.deepEqual(a.commands.map((c) => c.program), ['set', 'curl', 'sh']);
    assert.equal(covered(text, a.commands[1].args[0]), '-k');
    assert.equal(b.kind, 'shell');
    assert.deepEqual(b.commands.map((c) => c.program), ['cat', 'sudo']);
    const hd = b.commands[0].redirects.find((r) => r.op === '<<');
    assert.ok(hd?.heredoc);
    assert.equal(b.text.slice(hd.heredoc.start, hd.heredoc.end), 'not a command\n');
  });

  it('skips a heredoc script with a non-shell shebang, and parses a bash one as bash', () => {
    const [py, sh] = scripts('FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nprint("sudo")\nEOF\nRUN <<EOF\n#!/bin/bash\n[[ -f x ]] && sudo id\nEOF\n');
    assert.equal(py.skipped, 'shebang');
    assert.equal(py.commands.length, 0);
    assert.equal(sh.skipped, undefined);
    assert.deepEqual(sh.commands.map((c) => c.program), ['sudo']);
  });

  it('JSON form is one simple command; sh -c in it is parsed as a nested script', () => {
    const text = 'FROM alpine:3.20\nRUN ["apk", "add", "curl"]\nRUN ["/bin/sh", "-c", "wget -q \\"x\\" | sh"]\n';
    const [a, b] = scripts(text);
    assert.equal(a.kind, 'exec');
    assert.deepEqual(a.commands[0].words.map((w) => w.value), ['apk', 'add', 'curl']);
    assert.equal(covered(text, a.commands[0].args[1]), '"curl"');
    assert.deepEqual(b.commands.map((c) => [c.program, c.nesting.join('/')]), [['sh', ''], ['wget', 'sh-c'], ['sh', 'sh-c']]);
    assert.equal(b.commands[1].enclosing, b.commands[0]);
    assert.equal(covered(text, b.commands[1].name!), 'wget');
  });

  it('parses sh -c strings, substitutions, subshells and shell heredocs as nested commands', () => {
    const text = 'FROM alpine:3.20\nRUN sh -ec \'cd /x && sudo id\' && echo "$(curl -fsSL x)" && (cd y) && bash <<EOT\nsudo true\nEOT\n';
    const s = one(text);
    assert.deepEqual(s.commands.map((c) => [c.program, c.nesting.join('/'), c.enclosing?.program ?? '']), [
      ['sh', '', ''], ['cd', 'sh-c', 'sh'], ['sudo', 'sh-c', 'sh'], ['echo', '', ''], ['curl', 'substitution', 'echo'],
      ['cd', 'subshell', ''], ['bash', '', ''], ['sudo', 'heredoc-script', 'bash'],
    ]);
    assert.equal(covered(text, s.commands[2].name!), 'sudo');
    assert.deepEqual(s.commands[2].name!.range.start, { line: 1, character: 21 });
    assert.deepEqual(s.commands[7].name!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 4 } });
  });

  it('collects the variables a word expands, except inside command substitutions', () => {
    const s = one('FROM alpine:3.20\nRUN echo "${A:-$B}" $C "$(echo $D)"\n');
    const echo = s.commands[0];
    assert.deepEqual(echo.args.map((w) => w.params), [['A', 'B'], ['C'], []]);
    assert.deepEqual(s.commands[1].args[0].params, ['D']);
  });

  it('skips PowerShell and cmd shells and Windows base images with the default shell', () => {
    const s = scripts('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\Windows\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem\nFROM alpine:3.20\nSHELL ["cmd", "/S", "/C"]\nRUN dir\n');
    assert.deepEqual(s.map((x) => x.skipped), ['cmd', 'powershell', 'cmd']);
    assert.ok(s.every((x) => x.commands.length === 0));
  });

  it('bash-only syntax under /bin/sh still parses (the bash grammar is tried next), and so does POSIX ((', () => {
    const [a, b] = scripts('FROM debian:12\nRUN arr=(a b) && [[ -n x ]] && sudo id\nRUN ((cat /etc/os-release | grep ID) && apk add x || true)\n');
    assert.equal(a.error, undefined);
    assert.equal(a.dialect, 'bash');
    assert.deepEqual(a.commands.map((c) => c.program), ['', 'sudo']);
    assert.equal(b.error, undefined);
    assert.equal(b.dialect, 'posix');
    assert.deepEqual(b.commands.map((c) => c.program), ['cat', 'grep', 'apk', 'true']);
  });

  it('a parse error does not throw: error is set and the statements before it are kept', () => {
    const text = 'FROM alpine:3.20\nRUN sudo id && echo ok; echo "unterminated\n';
    const s = one(text);
    assert.ok(s.error);
    assert.match(s.error.message, /quote/);
    assert.deepEqual(s.commands.map((c) => c.program), ['sudo', 'echo']);
    assert.equal(s.error.range.start.line, 1);
  });

  it('handles non-ASCII text before a word (byte offsets are converted)', () => {
    const text = 'FROM alpine:3.20\nRUN echo "héllo wörld 🐳" && sudo id\n';
    const s = one(text);
    assert.equal(s.commands[0].args[0].value, 'héllo wörld 🐳');
    assert.equal(covered(text, s.commands[1].name!), 'sudo');
  });

  it('is memoised per step, and a non-RUN step is skipped', () => {
    const m = buildModel('FROM alpine:3.20\nRUN id\nCMD id\n');
    assert.equal(parseRunScript(m, m.steps[1]), parseRunScript(m, m.steps[1]));
    assert.equal(parseRunScript(m, m.steps[2]).skipped, 'not-run');
  });

  it('RUN flags are not part of the script', () => {
    const text = 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk \\\n    apk add curl\n';
    const s = one(text);
    assert.equal(s.text, 'apk add curl');
    assert.equal(covered(text, s.commands[0]), 'apk add curl');
  });

  it('joinContinuationsMapped joins exactly like joinContinuations', () => {
    const samples = ['a \\\n b', 'a \\\r\n# c\r\n\r\n  b\r\nc', 'x `\n y', 'a\\  \n b \\\n', 'one line'];
    for (const raw of samples) {
      const esc = raw.includes('`') ? '`' : '\\';
      assert.equal(joinContinuationsMapped(raw, 0, raw.length, esc).text, joinContinuations(raw, esc), JSON.stringify(raw));
    }
  });

  describe('the parser (shellSyntax.ts)', () => {
    /** Programs of every simple command with their nesting, as `nesting:program`. */
    const progs = (body: string, from = 'FROM debian:12\n') =>
      one(`${from}RUN ${body}\n`).commands.map((c) => (c.nesting.length ? `${c.nesting.join('/')}:` : '') + c.program);

    it('reads compound commands: if/elif/else, while, until, for, case, groups, functions', () => {
      assert.deepEqual(progs('if a; then b; elif c; then d; else e; fi && f'), ['if:a', 'if:b', 'if:c', 'if:d', 'if:e', 'f']);
      assert.deepEqual(progs('while read l; do echo "$l"; done < f; until x; do y; done'), ['loop:read', 'loop:echo', 'loop:x', 'loop:y']);
      assert.deepEqual(progs('for f in $(ls) a b; do rm "$f"; done'), ['loop/substitution:ls', 'loop:rm']);
      assert.deepEqual(progs('case "$(uname -m)" in x86_64|amd64) a ;; arm*) b ;& *) c ;; esac'), ['substitution:uname', 'case:a', 'case:b', 'case:c']);
      assert.deepEqual(progs('{ a; b; } > /log; f() { g; }; f'), ['group:a', 'group:b', 'function/group:g', 'f']);
      assert.deepEqual(progs('function h { i; }', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\n'), ['function/group:i']);
    });

    it('tells arithmetic from nested subshells and reads substitutions inside arithmetic', () => {
      assert.deepEqual(progs('((cat /etc/os-release | grep ID) && apk add x)'), ['subshell/subshell:cat', 'subshell/subshell:grep', 'subshell:apk']);
      assert.deepEqual(progs('echo $(( $(nproc) + 1 )) $((2*3)) && (( n = $(id -u) ))', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\n'), ['echo', 'substitution:nproc', 'substitution:id']);
      assert.deepEqual(progs('x=$( (a) | b )'), ['', 'substitution/subshell:a', 'substitution:b']);
    });

    it('reads here-documents: bodies are not commands, <<- strips tabs, quoted delimiters keep $(...) literal', () => {
      // A heredoc-only RUN, so that BuildKit hands the script's own here-documents to the shell.
      const s = one('FROM debian:12\nRUN <<SCRIPT\ncat <<-EOF > /a && cat <<\'Q\' && echo $(cat <<X\n\tfoo $(id)\n\tEOF\nbar $(nope)\nQ\nx\nX\n) done\nSCRIPT\n');
      assert.equal(s.kind, 'heredoc');
      assert.deepEqual(s.commands.map((c) => c.program), ['cat', 'id', 'cat', 'echo', 'cat']);
      const [a, b] = s.commands.filter((c) => c.redirects.some((r) => r.heredoc));
      assert.equal(s.text.slice(a.redirects[0].heredoc!.start, a.redirects[0].heredoc!.end), '\tfoo $(id)\n');
      assert.equal(s.text.slice(b.redirects[0].heredoc!.start, b.redirects[0].heredoc!.end), 'bar $(nope)\n');
      assert.equal(s.error, undefined);
    });

    it('reads backquotes with escapes, process substitution, arrays, [[ ]], $\'...\' and ${...} operators', () => {
      const s = one('FROM debian:12\nRUN a=`echo \\`id\\``; b=(x $(y) z); [[ $a =~ ^(x|y)$ && -n "$(w)" ]]; diff <(p) >(q); echo $\'a\\tb\' ${v:-$(d)} ${#arr[@]} ${v/a/b}\n');
      assert.equal(s.error, undefined);
      assert.equal(s.dialect, 'bash');
      assert.deepEqual(s.commands.map((c) => `${c.nesting.join('/')}:${c.program}`), [':', 'substitution:echo', 'substitution/substitution:id', ':', 'substitution:y', 'substitution:w', ':diff', 'process-substitution:p', 'process-substitution:q', ':echo', 'substitution:d']);
      const echo = s.commands[9];
      assert.deepEqual(echo.args.map((w) => w.value), ['a\tb', '${v:-$(d)}', '${#arr[@]}', '${v/a/b}']);
      assert.deepEqual(echo.args.map((w) => w.params), [[], ['v'], ['arr'], ['v']]);
      // The nested `id` maps back to its place in the Dockerfile, through the backquote escapes.
      assert.equal(covered('FROM debian:12\nRUN a=`echo \\`id\\``; b=(x $(y) z); [[ $a =~ ^(x|y)$ && -n "$(w)" ]]; diff <(p) >(q); echo $\'a\\tb\' ${v:-$(d)} ${#arr[@]} ${v/a/b}\n', s.commands[2].name!), 'id');
    });

    it('under /bin/sh, `&>` is a background job and a redirection, as dash reads it; under bash it is one redirection', () => {
      const sh = one('FROM debian:12\nRUN a &>/dev/null; b\n');
      assert.deepEqual(sh.pipelines.map((p) => p.op ?? null), [null, '&', ';']);
      const bash = one('FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN a &>/dev/null; b\n');
      assert.deepEqual(bash.pipelines.map((p) => p.op ?? null), [null, ';']);
      assert.deepEqual(bash.commands[0].redirects.map((r) => r.op), ['&>']);
    });

    it('reports syntax errors at the construct left open, keeping the commands before it', () => {
      const cases: [string, RegExp, string][] = [
        ['a; if b; then c', /fi/, 'if'],
        ['a && (b', /\)/, '('],
        ['a; echo $(b', /\$\(/, '$('],
        ["a; echo 'x", /quote/, "'"],
        ['a; for x in 1; echo', /do/, 'for'],
        ['a; case x in y) z', /esac/, 'case'],
        ['a; b &&', /&&/, '&&'],
        ['a; fi', /fi/, 'fi'],
        ['a; echo (x)', /\(/, '('],
        ['a; { b', /\}/, '{'],
        ['a; echo ${x', /\$\{/, '${'],
      ];
      for (const [script, message, at] of cases) {
        const text = `FROM debian:12\nRUN ${script}\n`;
        const s = one(text);
        assert.ok(s.error, script);
        assert.match(s.error.message, message, script);
        assert.equal(text.slice(text.indexOf('RUN ') + 4 + s.error.start).slice(0, at.length), at, script);
        assert.deepEqual(s.commands.map((c) => c.program), ['a'], script);
      }
    });

    it('never throws anything but ShellSyntaxError, and stops nesting at a depth limit', () => {
      assert.throws(() => parseShell('$('.repeat(5000) + 'x' + ')'.repeat(5000), 'bash'), ShellSyntaxError);
      assert.throws(() => parseShell('('.repeat(5000), 'posix'), ShellSyntaxError);
      assert.throws(() => parseShell('"${'.repeat(3000), 'posix'), ShellSyntaxError);
      assert.doesNotThrow(() => parseShell('echo ' + '\\'.repeat(1001) + '\n' + '<<EOF\n'.repeat(200), 'posix'));
      const noise = 'a;b|c&&d||e(f)g{h}i<j>k"l\'m`n$o(p)q[r]s\\t\nu#v*w?x@(y)!z';
      let seed = 7;
      for (let k = 0; k < 3000; k++) {
        let t = '';
        const len = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 60;
        for (let j = 0; j < len; j++) t += noise[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % noise.length];
        for (const d of ['posix', 'bash'] as const) {
          try {
            parseShell(t, d);
          } catch (e) {
            assert.ok(e instanceof ShellSyntaxError, `${JSON.stringify(t)}: ${e}`);
            assert.ok(e.offset >= 0 && e.offset <= t.length);
          }
        }
      }
    });
  });
});
