/*
 * Unit tests for the TextMate grammars in syntaxes/.
 *
 * The grammars are loaded with vscode-textmate + vscode-oniguruma (the same
 * engine VS Code uses) and sample lines are tokenized; assertions are made on
 * the scopes of individual tokens.
 *
 * The injection grammar needs a host with scope `source.dockerfile`. VS Code's
 * built-in Dockerfile grammar is not available here, so a small stand-in host
 * grammar is defined below. It has the shape that matters for the injection:
 * a `^`-anchored `#` comment rule that matches the whole line (scoped
 * `comment.line.number-sign.dockerfile`), an instruction keyword rule and a
 * double-quoted string that may run over several lines.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const PROJECT_NAME = 'dockerfile-insight';

/**
 * Walks up from `start` to the directory holding this project's package.json.
 * tsc (resolveJsonModule) copies package.json into out/, so a directory only
 * counts as the root if it also has the syntaxes/ folder.
 */
function findProjectRootFrom(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'syntaxes'))) {
      try {
        const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
        if (pkg.name === PROJECT_NAME) {
          return dir;
        }
      } catch {
        // not ours, keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

function findProjectRoot(): string {
  const root = findProjectRootFrom(__dirname) ?? findProjectRootFrom(process.cwd());
  if (!root) {
    throw new Error(`could not find the ${PROJECT_NAME} package.json above ${__dirname} or ${process.cwd()}`);
  }
  return root;
}

const ROOT = findProjectRoot();
const SYNTAXES = path.join(ROOT, 'syntaxes');
const DOCKERIGNORE_GRAMMAR = path.join(SYNTAXES, 'dockerignore.tmLanguage.json');
const DOCKERIGNORE_CONFIG = path.join(SYNTAXES, 'dockerignore.language-configuration.json');
const INJECTION_GRAMMAR = path.join(SYNTAXES, 'dockerfile-directives.injection.tmLanguage.json');

const DOCKERIGNORE_SCOPE = 'source.dockerignore';
const DOCKERFILE_SCOPE = 'source.dockerfile';
const INJECTION_SCOPE = 'dockerfile.injection.directives';

/** Stand-in for VS Code's Dockerfile grammar (written for these tests). */
const HOST_DOCKERFILE_GRAMMAR = {
  scopeName: DOCKERFILE_SCOPE,
  name: 'Dockerfile (test host)',
  patterns: [
    {
      match: '^\\s*#.*$',
      name: 'comment.line.number-sign.dockerfile',
    },
    {
      match: '^\\s*(FROM|RUN|COPY|ADD|ENV|ARG|USER|WORKDIR|CMD|ENTRYPOINT)\\b',
      captures: { '1': { name: 'keyword.other.special-method.dockerfile' } },
    },
    {
      begin: '"',
      end: '"',
      name: 'string.quoted.double.dockerfile',
    },
  ],
};

interface Tok {
  text: string;
  scopes: string[];
}

function loadOnigLib(): Promise<vsctm.IOnigLib> {
  const wasmPath = require.resolve('vscode-oniguruma/release/onig.wasm', { paths: [ROOT, __dirname] });
  // A Buffer is a Uint8Array view; loadWASM accepts any ArrayBufferView.
  return oniguruma.loadWASM(fs.readFileSync(wasmPath)).then(() => ({
    createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
    createOnigString: (s: string) => oniguruma.createOnigString(s),
  }));
}

function readGrammar(file: string): vsctm.IRawGrammar {
  return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
}

function createRegistry(withInjection: boolean): vsctm.Registry {
  return new vsctm.Registry({
    onigLib: loadOnigLib(),
    loadGrammar: async (scopeName: string) => {
      switch (scopeName) {
        case DOCKERIGNORE_SCOPE:
          return readGrammar(DOCKERIGNORE_GRAMMAR);
        case INJECTION_SCOPE:
          return readGrammar(INJECTION_GRAMMAR);
        case DOCKERFILE_SCOPE:
          return vsctm.parseRawGrammar(JSON.stringify(HOST_DOCKERFILE_GRAMMAR), 'host.dockerfile.json');
        default:
          return null;
      }
    },
    getInjections: (scopeName: string) =>
      withInjection && scopeName === DOCKERFILE_SCOPE ? [INJECTION_SCOPE] : undefined,
  });
}

async function loadGrammar(registry: vsctm.Registry, scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await registry.loadGrammar(scopeName);
  if (!grammar) {
    throw new Error(`grammar ${scopeName} did not load`);
  }
  return grammar;
}

/** Tokenizes several lines, carrying the rule stack from line to line. */
function tokenizeLines(grammar: vsctm.IGrammar, lines: string[]): Tok[][] {
  let stack: vsctm.StateStack = vsctm.INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({
      text: line.substring(t.startIndex, Math.min(t.endIndex, line.length)),
      scopes: t.scopes,
    }));
  });
}

function tokenize(grammar: vsctm.IGrammar, line: string): Tok[] {
  return tokenizeLines(grammar, [line])[0];
}

function describeTokens(tokens: Tok[]): string {
  return tokens.map((t) => `  ${JSON.stringify(t.text)} -> ${t.scopes.join(' ')}`).join('\n');
}

/** The token whose text is exactly `text` (the `nth` occurrence, 0-based). */
function tokenWithText(tokens: Tok[], text: string, nth = 0): Tok {
  const found = tokens.filter((t) => t.text === text);
  if (found.length <= nth) {
    assert.fail(`no token with text ${JSON.stringify(text)} (occurrence ${nth}) in:\n${describeTokens(tokens)}`);
  }
  return found[nth];
}

function assertScope(tokens: Tok[], text: string, scope: string, nth = 0): void {
  const tok = tokenWithText(tokens, text, nth);
  assert.ok(
    tok.scopes.includes(scope),
    `expected ${JSON.stringify(text)} to have scope ${scope}; got ${tok.scopes.join(' ')}\nall tokens:\n${describeTokens(tokens)}`,
  );
}

function assertNoScopePrefix(tokens: Tok[], prefix: string): void {
  for (const t of tokens) {
    for (const s of t.scopes) {
      assert.ok(
        !s.startsWith(prefix),
        `did not expect a ${prefix}* scope, but ${JSON.stringify(t.text)} has ${s}\nall tokens:\n${describeTokens(tokens)}`,
      );
    }
  }
}

function hasScopePrefix(tok: Tok, prefix: string): boolean {
  return tok.scopes.some((s) => s.startsWith(prefix));
}

describe('grammars', () => {
  describe('JSON files', () => {
    for (const file of [DOCKERIGNORE_GRAMMAR, DOCKERIGNORE_CONFIG, INJECTION_GRAMMAR]) {
      it(`${path.basename(file)} is valid JSON`, () => {
        assert.doesNotThrow(() => JSON.parse(fs.readFileSync(file, 'utf8')));
      });
    }

    it('scope names match what package.json contributes', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
      };
      for (const g of pkg.contributes.grammars) {
        const raw = JSON.parse(fs.readFileSync(path.join(ROOT, g.path), 'utf8')) as { scopeName: string };
        assert.strictEqual(raw.scopeName, g.scopeName, g.path);
      }
      const injection = JSON.parse(fs.readFileSync(INJECTION_GRAMMAR, 'utf8')) as { injectionSelector?: string };
      assert.ok(injection.injectionSelector, 'injection grammar needs an injectionSelector');
      assert.match(injection.injectionSelector, /^L:/, 'injection must take priority over the host comment rule');
      assert.ok(injection.injectionSelector.includes(DOCKERFILE_SCOPE));
    });

    it('language configuration declares # as the line comment', () => {
      const cfg = JSON.parse(fs.readFileSync(DOCKERIGNORE_CONFIG, 'utf8')) as { comments?: { lineComment?: string } };
      assert.strictEqual(cfg.comments?.lineComment, '#');
    });
  });

  describe('source.dockerignore', () => {
    let grammar: vsctm.IGrammar;

    before(async () => {
      grammar = await loadGrammar(createRegistry(false), DOCKERIGNORE_SCOPE);
    });

    it('scopes a # in column 1 as a comment', () => {
      const tokens = tokenize(grammar, '# build output');
      assertScope(tokens, '#', 'punctuation.definition.comment.dockerignore');
      assertScope(tokens, ' build output', 'comment.line.number-sign.dockerignore');
      assertNoScopePrefix(tokens, 'meta.pattern');
    });

    it('does not treat an indented # as a comment (it is a pattern)', () => {
      const tokens = tokenize(grammar, '  # not a comment');
      assertNoScopePrefix(tokens, 'comment');
      assert.ok(tokens.some((t) => t.scopes.includes('meta.pattern.dockerignore')));
    });

    it('does not treat a # inside a pattern as a comment', () => {
      const tokens = tokenize(grammar, 'foo#bar');
      assertNoScopePrefix(tokens, 'comment');
      assertScope(tokens, 'foo#bar', 'meta.pattern.dockerignore');
    });

    it('scopes a plain path as a pattern', () => {
      const tokens = tokenize(grammar, 'node_modules');
      assertScope(tokens, 'node_modules', 'meta.pattern.dockerignore');
      assertNoScopePrefix(tokens, 'comment');
      assertNoScopePrefix(tokens, 'keyword.operator.negation');
    });

    it('scopes a leading ! as the exception operator', () => {
      const tokens = tokenize(grammar, '!README.md');
      assertScope(tokens, '!', 'keyword.operator.negation.dockerignore');
      assertScope(tokens, '!', 'meta.pattern.exception.dockerignore');
      const rest = tokenWithText(tokens, 'README.md');
      assert.ok(rest.scopes.includes('meta.pattern.exception.dockerignore'));
      assert.ok(!hasScopePrefix(rest, 'keyword.operator.negation'), rest.scopes.join(' '));
    });

    it('allows blanks around the ! exception prefix', () => {
      const tokens = tokenize(grammar, '  !  keep/me.txt');
      const bang = tokens.find((t) => t.text.includes('!'));
      assert.ok(bang, describeTokens(tokens));
      assert.strictEqual(bang.text.trim(), '!');
      assert.ok(bang.scopes.includes('keyword.operator.negation.dockerignore'), describeTokens(tokens));
    });

    it('does not treat a ! in the middle of a pattern as an exception', () => {
      const tokens = tokenize(grammar, 'a!b');
      assertNoScopePrefix(tokens, 'keyword.operator.negation');
      assertScope(tokens, 'a!b', 'meta.pattern.dockerignore');
    });

    it('scopes **, * and / in a globstar pattern', () => {
      const tokens = tokenize(grammar, '**/*.log');
      assertScope(tokens, '**', 'keyword.operator.glob.globstar.dockerignore');
      assertScope(tokens, '/', 'punctuation.separator.path.dockerignore');
      assertScope(tokens, '*', 'keyword.operator.glob.wildcard.dockerignore');
      assertScope(tokens, '.log', 'meta.pattern.dockerignore');
    });

    it('scopes ? as a single-character wildcard', () => {
      const tokens = tokenize(grammar, 'file?.txt');
      assertScope(tokens, '?', 'keyword.operator.glob.single-character.dockerignore');
    });

    it('scopes glob characters in exception patterns too', () => {
      const tokens = tokenize(grammar, '!docs/**/*.md');
      assertScope(tokens, '!', 'keyword.operator.negation.dockerignore');
      assertScope(tokens, '**', 'keyword.operator.glob.globstar.dockerignore');
      assertScope(tokens, '*', 'keyword.operator.glob.wildcard.dockerignore');
    });

    it('scopes character classes, ranges and class negation', () => {
      const tokens = tokenize(grammar, 'log[0-9][^abc].txt');
      assertScope(tokens, '[', 'punctuation.definition.character-class.begin.dockerignore');
      assertScope(tokens, ']', 'punctuation.definition.character-class.end.dockerignore');
      assertScope(tokens, '-', 'punctuation.separator.range.dockerignore');
      assertScope(tokens, '^', 'keyword.operator.negation.character-class.dockerignore');
      assertScope(tokens, 'abc', 'constant.other.character-class.set.dockerignore');
      const after = tokenWithText(tokens, '.txt');
      assert.ok(!hasScopePrefix(after, 'constant.other.character-class'), after.scopes.join(' '));
    });

    it('keeps a ] right after [ inside the class', () => {
      const tokens = tokenize(grammar, '[]x]y');
      const ends = tokens.filter((t) => t.scopes.includes('punctuation.definition.character-class.end.dockerignore'));
      assert.strictEqual(ends.length, 1, describeTokens(tokens));
      const y = tokenWithText(tokens, 'y');
      assert.ok(!hasScopePrefix(y, 'constant.other.character-class'), y.scopes.join(' '));
    });

    it('does not open a class for an unclosed [ and does not leak into the next line', () => {
      const [first, second] = tokenizeLines(grammar, ['foo[bar', '# comment']);
      assertNoScopePrefix(first, 'constant.other.character-class');
      assertScope(second, ' comment', 'comment.line.number-sign.dockerignore');
    });

    it('scopes backslash escapes, and an escaped * is not a wildcard', () => {
      const tokens = tokenize(grammar, 'foo\\*bar\\?');
      assertScope(tokens, '\\*', 'constant.character.escape.dockerignore');
      assertScope(tokens, '\\?', 'constant.character.escape.dockerignore');
      assertNoScopePrefix(tokens, 'keyword.operator.glob');
    });

    it('flags a trailing lone backslash', () => {
      const tokens = tokenize(grammar, 'foo\\');
      assertScope(tokens, '\\', 'invalid.illegal.trailing-backslash.dockerignore');
    });

    it('scopes a leading / as a path separator', () => {
      const tokens = tokenize(grammar, '/build');
      assertScope(tokens, '/', 'punctuation.separator.path.dockerignore');
    });

    it('tokenizes a whole file without scopes leaking between lines', () => {
      const lines = ['# deps', 'node_modules', '!node_modules/keep', '**/*.tmp', '', '#x'];
      const result = tokenizeLines(grammar, lines);
      assertScope(result[0], ' deps', 'comment.line.number-sign.dockerignore');
      assertNoScopePrefix(result[1], 'keyword.operator.negation');
      assertScope(result[2], '!', 'keyword.operator.negation.dockerignore');
      assertNoScopePrefix(result[3], 'meta.pattern.exception');
      assertNoScopePrefix(result[4], 'meta.pattern');
      assertScope(result[5], 'x', 'comment.line.number-sign.dockerignore');
    });
  });

  describe('dockerfile.injection.directives (injected into source.dockerfile)', () => {
    let grammar: vsctm.IGrammar;
    let hostOnly: vsctm.IGrammar;

    before(async () => {
      grammar = await loadGrammar(createRegistry(true), DOCKERFILE_SCOPE);
      hostOnly = await loadGrammar(createRegistry(false), DOCKERFILE_SCOPE);
    });

    it('the stand-in host alone scopes a directive line as a plain comment', () => {
      const tokens = tokenize(hostOnly, '# syntax=docker/dockerfile:1');
      assert.strictEqual(tokens.length, 1, describeTokens(tokens));
      assert.ok(tokens[0].scopes.includes('comment.line.number-sign.dockerfile'));
    });

    describe('parser directives', () => {
      it('# syntax=docker/dockerfile:1', () => {
        const tokens = tokenize(grammar, '# syntax=docker/dockerfile:1');
        assertScope(tokens, '#', 'punctuation.definition.directive.dockerfile');
        assertScope(tokens, 'syntax', 'keyword.control.directive.dockerfile');
        assertScope(tokens, '=', 'keyword.operator.assignment.dockerfile');
        assertScope(tokens, 'docker/dockerfile:1', 'string.unquoted.directive-value.dockerfile');
        assertScope(tokens, 'syntax', 'meta.preprocessor.directive.dockerfile');
        assertNoScopePrefix(tokens, 'comment');
      });

      it('is case-insensitive and allows blanks around =', () => {
        const tokens = tokenize(grammar, '#SYNTAX = docker/dockerfile:1.7  ');
        assertScope(tokens, 'SYNTAX', 'keyword.control.directive.dockerfile');
        assertScope(tokens, '=', 'keyword.operator.assignment.dockerfile');
        assertScope(tokens, 'docker/dockerfile:1.7', 'string.unquoted.directive-value.dockerfile');
      });

      it('# escape=` and # escape=\\', () => {
        const backtick = tokenize(grammar, '# escape=`');
        assertScope(backtick, 'escape', 'keyword.control.directive.dockerfile');
        assertScope(backtick, '`', 'string.unquoted.directive-value.dockerfile');
        const backslash = tokenize(grammar, '# escape=\\');
        assertScope(backslash, 'escape', 'keyword.control.directive.dockerfile');
        assertScope(backslash, '\\', 'string.unquoted.directive-value.dockerfile');
      });

      it('# check=skip=StageNameCasing;error=true', () => {
        const tokens = tokenize(grammar, '# check=skip=StageNameCasing;error=true');
        assertScope(tokens, 'check', 'keyword.control.directive.dockerfile');
        assertScope(tokens, '=', 'keyword.operator.assignment.dockerfile', 0);
        assertScope(tokens, 'skip', 'variable.parameter.check-option.dockerfile');
        assertScope(tokens, 'skip', 'string.unquoted.directive-value.dockerfile');
        assertScope(tokens, 'StageNameCasing', 'string.unquoted.directive-value.dockerfile');
        assertScope(tokens, ';', 'punctuation.separator.option.dockerfile');
        assertScope(tokens, 'error', 'variable.parameter.check-option.dockerfile');
        assertScope(tokens, 'true', 'string.unquoted.directive-value.dockerfile');
        assertNoScopePrefix(tokens, 'comment');
      });

      it('leaves other key=value comments to the host', () => {
        for (const line of ['# syntaxx=foo', '# version=1', '# just a comment']) {
          const tokens = tokenize(grammar, line);
          assertNoScopePrefix(tokens, 'keyword.control.directive');
          assert.ok(tokens.every((t) => t.scopes.includes('comment.line.number-sign.dockerfile')), describeTokens(tokens));
        }
      });
    });

    describe('ignore comments', () => {
      it('# hadolint ignore=DL3008,DL3015', () => {
        const tokens = tokenize(grammar, '# hadolint ignore=DL3008,DL3015');
        assertScope(tokens, '#', 'punctuation.definition.comment.dockerfile');
        assertScope(tokens, 'hadolint', 'entity.name.tag.linter.dockerfile');
        assertScope(tokens, 'ignore', 'keyword.other.ignore.dockerfile');
        assertScope(tokens, '=', 'keyword.operator.assignment.dockerfile');
        assertScope(tokens, 'DL3008', 'constant.other.rule-id.dockerfile');
        assertScope(tokens, ',', 'punctuation.separator.comma.dockerfile');
        assertScope(tokens, 'DL3015', 'constant.other.rule-id.dockerfile');
        // still a comment as a whole
        assert.ok(tokens.every((t) => t.scopes.includes('comment.line.number-sign.dockerfile')), describeTokens(tokens));
      });

      it('# hadolint global ignore=DL3003', () => {
        const tokens = tokenize(grammar, '# hadolint global ignore=DL3003');
        assertScope(tokens, 'hadolint', 'entity.name.tag.linter.dockerfile');
        assertScope(tokens, 'global', 'storage.modifier.global.dockerfile');
        assertScope(tokens, 'ignore', 'keyword.other.ignore.dockerfile');
        assertScope(tokens, 'DL3003', 'constant.other.rule-id.dockerfile');
      });

      it('# hadolint shell=bash', () => {
        const tokens = tokenize(grammar, '# hadolint shell=bash');
        assertScope(tokens, 'hadolint', 'entity.name.tag.linter.dockerfile');
        assertScope(tokens, 'shell', 'keyword.other.shell.dockerfile');
        assertScope(tokens, '=', 'keyword.operator.assignment.dockerfile');
        assertScope(tokens, 'bash', 'string.unquoted.shell-name.dockerfile');
      });

      it('# dockerfile-insight ignore=root-user,latest-tag', () => {
        const tokens = tokenize(grammar, '# dockerfile-insight ignore=root-user,latest-tag');
        assertScope(tokens, 'dockerfile-insight', 'entity.name.tag.linter.dockerfile');
        assertScope(tokens, 'ignore', 'keyword.other.ignore.dockerfile');
        assertScope(tokens, 'root-user', 'constant.other.rule-id.dockerfile');
        assertScope(tokens, 'latest-tag', 'constant.other.rule-id.dockerfile');
        assertScope(tokens, ',', 'punctuation.separator.comma.dockerfile');
      });

      it('# dockerfile-insight global ignore=... with blanks in the list', () => {
        const tokens = tokenize(grammar, '#dockerfile-insight global ignore = root-user , latest-tag');
        assertScope(tokens, 'dockerfile-insight', 'entity.name.tag.linter.dockerfile');
        assertScope(tokens, 'global', 'storage.modifier.global.dockerfile');
        assertScope(tokens, 'root-user', 'constant.other.rule-id.dockerfile');
        assertScope(tokens, 'latest-tag', 'constant.other.rule-id.dockerfile');
      });

      it('text after the rule list stays a plain comment', () => {
        const tokens = tokenize(grammar, '# hadolint ignore=DL3008 pinned upstream');
        assertScope(tokens, 'DL3008', 'constant.other.rule-id.dockerfile');
        const tail = tokens[tokens.length - 1];
        assert.strictEqual(tail.text, ' pinned upstream', describeTokens(tokens));
        assert.ok(!hasScopePrefix(tail, 'constant.other.rule-id'), tail.scopes.join(' '));
        assert.ok(tail.scopes.includes('comment.line.number-sign.dockerfile'));
      });

      it('an ignore comment with no ids yet still highlights the keyword', () => {
        const tokens = tokenize(grammar, '# dockerfile-insight ignore=');
        assertScope(tokens, 'ignore', 'keyword.other.ignore.dockerfile');
        assertNoScopePrefix(tokens, 'constant.other.rule-id');
      });

      it('does not match other tools or misspelled keywords', () => {
        for (const line of ['# eslint ignore=foo', '# hadolint ignored=DL3008', '# hadolintignore=DL3008']) {
          const tokens = tokenize(grammar, line);
          assertNoScopePrefix(tokens, 'constant.other.rule-id');
          assertNoScopePrefix(tokens, 'keyword.other.ignore');
        }
      });
    });

    describe('interaction with the host grammar', () => {
      it('instruction lines are still scoped by the host', () => {
        const tokens = tokenize(grammar, 'RUN apt-get update # hadolint ignore=DL3009');
        assertScope(tokens, 'RUN', 'keyword.other.special-method.dockerfile');
        assertNoScopePrefix(tokens, 'constant.other.rule-id');
      });

      it('does not apply inside a string that spans lines', () => {
        const [first, second] = tokenizeLines(grammar, ['RUN echo "start', '# hadolint ignore=DL3008"']);
        assertScope(first, 'RUN', 'keyword.other.special-method.dockerfile');
        assertNoScopePrefix(second, 'constant.other.rule-id');
        assert.ok(second.every((t) => t.scopes.includes('string.quoted.double.dockerfile')), describeTokens(second));
      });

      it('scopes a realistic Dockerfile header line by line', () => {
        const lines = [
          '# syntax=docker/dockerfile:1',
          '# check=error=true',
          '',
          '# hadolint global ignore=DL3059',
          'FROM alpine:3.20',
          '# dockerfile-insight ignore=root-user',
          'USER root',
        ];
        const r = tokenizeLines(grammar, lines);
        assertScope(r[0], 'syntax', 'keyword.control.directive.dockerfile');
        assertScope(r[1], 'check', 'keyword.control.directive.dockerfile');
        assertScope(r[1], 'error', 'variable.parameter.check-option.dockerfile');
        assertScope(r[3], 'DL3059', 'constant.other.rule-id.dockerfile');
        assertScope(r[4], 'FROM', 'keyword.other.special-method.dockerfile');
        assertScope(r[5], 'root-user', 'constant.other.rule-id.dockerfile');
        assertScope(r[6], 'USER', 'keyword.other.special-method.dockerfile');
      });
    });
  });
});
