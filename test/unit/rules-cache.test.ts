import assert from 'node:assert/strict';
import { Diagnostic, getRule } from '../../src/core';
import { applyFix, covered, findings, lint, assertFixWorks as checkFix } from './helpers';

/** Applies the finding's first fix, re-lints, and checks the finding is gone and no new rule fires. */
const assertFixWorks = (text: string, d: Diagnostic, expectedText?: string): string => checkFix(text, d, expectedText, { gone: 'rule' });

const one = (ruleId: string, text: string): Diagnostic => {
  const f = findings(ruleId, text);
  assert.equal(f.length, 1, `${ruleId}: expected one finding in\n${text}\ngot ${JSON.stringify(f.map((x) => x.message))}`);
  return f[0];
};
const none = (ruleId: string, text: string) => assert.deepEqual(findings(ruleId, text).map((d) => d.message), [], `${ruleId} should not fire on\n${text}`);

describe('build-cache rules', () => {
  describe('broad-copy-before-install', () => {
    const id = 'broad-copy-before-install';

    it('is registered as a cache warning', () => {
      const r = getRule(id)!;
      assert.equal(r.category, 'cache');
      assert.equal(r.severity, 'warning');
    });

    it('hits COPY . . before npm ci, on the source, and moves the install after the manifests', () => {
      const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n';
      const d = one(id, text);
      assert.equal(covered(text, d), '.');
      assert.equal(d.range.start.line, 2);
      assert.match(d.message, /"COPY \." copies the whole build context before "npm ci" \(line 4\)/);
      assert.match(d.message, /Copy package\*\.json first/);
      assertFixWorks(text, d, 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD ["node", "index.js"]\n');
    });

    it('keeps --chown and the destination, and moves across metadata steps', () => {
      const text = 'FROM python:3.12\nWORKDIR /srv\nCOPY --chown=app:app . /srv\nEXPOSE 8000\nRUN pip install --no-cache-dir -r requirements.txt\n';
      const d = one(id, text);
      assertFixWorks(text, d, 'FROM python:3.12\nWORKDIR /srv\nCOPY --chown=app:app requirements.txt /srv/\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY --chown=app:app . /srv\nEXPOSE 8000\n');
    });

    it('hits the other managers', () => {
      for (const run of ['yarn install --frozen-lockfile', 'yarn', 'pnpm install', 'poetry install', 'uv sync --frozen', 'bundle install',
        'go mod download', 'cargo build --release', 'mvn dependency:go-offline', 'mvn -B package', './gradlew build', 'composer install',
        'sudo -E npm install', 'python -m pip install -r req.txt', 'uv pip install -r requirements.txt']) {
        one(id, `FROM x\nWORKDIR /app\nADD . .\nRUN ${run}\n`);
      }
    });

    it('offers no fix when the install needs the sources or something in between may depend on it', () => {
      const cases = [
        'FROM x\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n', // the build needs the sources
        'FROM x\nWORKDIR /app\nCOPY . .\nENV NODE_ENV=production\nRUN npm ci\n', // ENV in between
        'FROM x\nWORKDIR /app\nCOPY . .\nRUN poetry install\n', // poetry installs the project itself
        'FROM x\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n',
        'FROM x\nWORKDIR /app\nCOPY . /src\nRUN npm ci\n', // the install does not run where the files land
        'FROM x\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements/prod.txt\n',
      ];
      for (const text of cases) assert.equal(one(id, text).fixes, undefined, text);
    });

    it('moves only the install RUN and keeps cleanup in it', () => {
      const text = 'FROM node:20\nWORKDIR /app\nCOPY . ./\nRUN npm ci --omit=dev && npm cache clean --force\n';
      assertFixWorks(text, one(id, text), 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY . ./\n');
    });

    it('does not hit manifests copied first, installs before the copy, other stages or other sources', () => {
      none(id, 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n');
      // Dependencies installed first, then the project itself.
      none(id, 'FROM python:3.12\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --no-root\nCOPY . .\nRUN poetry install --only-root\n');
      none(id, 'FROM node:20 AS a\nCOPY . .\nFROM node:20\nRUN npm ci\n');
      none(id, 'FROM node:20\nCOPY --from=build /app .\nRUN npm ci\n');
      none(id, 'FROM node:20\nCOPY src/ ./src/\nRUN npm ci\n');
      none(id, 'FROM node:20\nCOPY . .\nRUN npm install -g pm2 && yarn add left-pad\n');
      none(id, 'FROM python:3.12\nCOPY . .\nRUN pip install flask && echo "npm ci"\n');
    });

    it('reports each broad copy once', () => {
      const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nRUN npm ci\n';
      assert.equal(findings(id, text).length, 1);
    });
  });

  describe('volatile-arg-early', () => {
    const id = 'volatile-arg-early';

    it('hits a build date declared before RUN steps that do not use it, on its name, and moves it down', () => {
      const text = 'FROM debian:12\nARG BUILD_DATE\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN mkdir /app\nLABEL org.opencontainers.image.created=$BUILD_DATE\n';
      const d = one(id, text);
      assert.equal(covered(text, d), 'BUILD_DATE');
      assert.equal(getRule(id)!.severity, 'info');
      assert.match(d.message, /ARG BUILD_DATE looks like it changes on every build, and the RUN steps on lines 3, 4 come after it/);
      assert.match(d.message, /just before line 5/);
      assertFixWorks(text, d, 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN mkdir /app\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=$BUILD_DATE\n');
    });

    it('reads commit, build number and cache-bust names, and VERSION only without a default', () => {
      for (const name of ['GIT_SHA', 'GIT_COMMIT', 'COMMIT_SHA', 'VCS_REF', 'SOURCE_COMMIT', 'BUILD_NUMBER', 'CI_BUILD_ID', 'APP_REVISION', 'CACHEBUST', 'VERSION']) {
        one(id, `FROM alpine:3.20\nARG ${name}\nRUN apk add --no-cache curl\nRUN echo $${name} > /version\n`);
      }
      none(id, 'FROM alpine:3.20\nARG VERSION=1.2.3\nRUN apk add --no-cache curl\nRUN echo $VERSION > /version\n');
      none(id, 'FROM alpine:3.20\nARG NODE_VERSION\nRUN apk add --no-cache curl\n');
    });

    it('hits an ENV that carries a volatile ARG into every later RUN', () => {
      const text = 'FROM alpine:3.20\nARG GIT_SHA\nENV APP_COMMIT=$GIT_SHA\nRUN apk add --no-cache curl\nCMD ["sh"]\n';
      const f = findings(id, text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'APP_COMMIT');
      assert.equal(f[0].fixes, undefined, 'nothing names it: no place to move it to');
      assert.match(f[0].message, /Declare it later in the stage/);
    });

    it('treats a RUN that may read it from its environment (make, a script) as a user', () => {
      none(id, 'FROM golang:1.22\nARG GIT_COMMIT\nRUN make deps\nRUN go build -ldflags "-X main.commit=$GIT_COMMIT" -o /app\n');
      const text = 'FROM debian:12\nARG GIT_COMMIT\nRUN mkdir -p /src && useradd -l -m app\nRUN ./build.sh\n';
      const d = one(id, text);
      assert.match(d.message, /lines 3 come after it.*just before line 4/);
      assertFixWorks(text, d, 'FROM debian:12\nRUN mkdir -p /src && useradd -l -m app\nARG GIT_COMMIT\nRUN ./build.sh\n');
    });

    it('does not read checksums of downloads as volatile', () => {
      none(id, 'FROM alpine:3.20\nARG LUAROCKS_SHA\nRUN apk add --no-cache curl\nRUN echo "$LUAROCKS_SHA  /x" | sha256sum -c\n');
    });

    it('does not hit a volatile ARG declared just before its user, used by the next RUN, or with no RUN after it', () => {
      none(id, 'FROM alpine:3.20\nRUN apk add --no-cache curl\nARG GIT_SHA\nRUN echo "$GIT_SHA" > /rev\n');
      none(id, 'FROM alpine:3.20\nARG BUILD_DATE\nLABEL created=$BUILD_DATE\nRUN apk add --no-cache curl\n');
      none(id, 'FROM alpine:3.20\nARG BUILD_DATE\nCOPY . /app\nCMD ["sh"]\n');
      none(id, 'FROM alpine:3.20\nARG HTTP_PORT\nRUN apk add --no-cache curl\n');
      // The name inside a --mount flag is a use.
      none(id, 'FROM alpine:3.20\nARG CACHEBUST\nRUN --mount=type=cache,id=c-$CACHEBUST,target=/c apk add curl\n');
    });
  });

  describe('run-download-cache', () => {
    const id = 'run-download-cache';

    it('hits curl -o / -O, wget and a redirect to a file, on the URL, without a fix', () => {
      for (const [run, url] of [
        ['curl -fsSL -o /tmp/tool.tgz https://example.com/tool.tgz', 'https://example.com/tool.tgz'],
        ['curl -fsSLO https://example.com/tool.tgz && tar xzf tool.tgz', 'https://example.com/tool.tgz'],
        ['wget -q https://example.com/a.zip', 'https://example.com/a.zip'],
        ['wget -O /a.zip "https://example.com/a.zip?x=1"', 'https://example.com/a.zip?x=1'],
        ['curl -fsSL https://example.com/v${V}/a > /usr/local/bin/a && chmod +x /usr/local/bin/a', 'https://example.com/v${V}/a'],
        ['sudo curl --output /a --url https://example.com/a', 'https://example.com/a'],
      ]) {
        const text = `FROM debian:12\nRUN ${run}\n`;
        const d = one(id, text);
        assert.equal(d.message.includes(`downloads ${url} in a RUN`), true, d.message);
        assert.equal(d.fixes, undefined);
        assert.equal(getRule(id)!.category, 'cache');
      }
      const text = 'FROM debian:12\nRUN curl -o /a https://example.com/a\n';
      assert.equal(covered(text, one(id, text)), 'https://example.com/a');
    });

    it('reports once per RUN', () => {
      assert.equal(findings(id, 'FROM debian:12\nRUN curl -o /a https://e.com/a && curl -o /b https://e.com/b\n').length, 1);
    });

    it('does not hit downloads to stdout, into a pipe or a substitution, verified downloads or ADD', () => {
      none(id, 'FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh\n');
      none(id, 'FROM debian:12\nRUN wget -qO- https://example.com/a.tgz | tar xz -C /opt\n');
      none(id, 'FROM debian:12\nRUN curl -fsSL https://example.com/a.tgz | tar xz\n');
      none(id, 'FROM debian:12\nRUN V="$(curl -fsSL https://api.example.com/latest)" && echo $V\n');
      none(id, 'FROM debian:12\nRUN curl -fsSLo /a.tgz https://example.com/a.tgz && echo "abc  /a.tgz" | sha256sum -c -\n');
      none(id, 'FROM debian:12\nRUN curl -fLO https://e.com/a.tgz && if [ "$(openssl sha512 -r a.tgz)" = "$SUM" ]; then echo ok; else exit 1; fi\n');
      none(id, 'FROM debian:12\nRUN curl -I https://example.com/ > /headers\n');
      none(id, 'FROM debian:12\nRUN echo "curl -o /a https://example.com/a"\n');
      none(id, 'FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a\n');
    });
  });

  describe('consecutive-run', () => {
    const id = 'consecutive-run';

    it('hits the second of two consecutive RUNs (DL3059), on its keyword, and joins them', () => {
      const text = 'FROM alpine:3.20\nRUN mkdir /app\nRUN touch /app/x\n';
      const d = one(id, text);
      assert.equal(covered(text, d), 'RUN');
      assert.equal(d.range.start.line, 2);
      assert.deepEqual(d.aliases, { hadolint: 'DL3059' });
      assert.equal(getRule(id)!.category, 'size');
      assert.match(d.message, /follows the RUN on line 2/);
      assertFixWorks(text, d, 'FROM alpine:3.20\nRUN mkdir /app && touch /app/x\n');
    });

    it('is silenced by hadolint\'s pragma', () => {
      none(id, 'FROM alpine:3.20\nRUN mkdir /app\n# hadolint ignore=DL3059\nRUN touch /app/x\n');
    });

    it('sees through comments, and reports each further RUN of a run of them', () => {
      const text = 'FROM alpine:3.20\nRUN mkdir /a\n# then\nRUN mkdir /b\nRUN mkdir /c\n';
      const f = findings(id, text);
      assert.deepEqual(f.map((d) => d.range.start.line), [3, 4]);
      assert.equal(f[0].fixes, undefined, 'a comment between: no fix');
      assert.ok(f[1].fixes);
    });

    it('offers no fix for multi-line RUNs, heredocs or a first script ending in an operator', () => {
      for (const text of [
        'FROM alpine:3.20\nRUN mkdir /a \\\n && mkdir /b\nRUN mkdir /c\n',
        'FROM alpine:3.20\nRUN mkdir /a;\nRUN mkdir /c\n',
        'FROM alpine:3.20\nRUN <<EOF\nmkdir /a\nEOF\nRUN mkdir /c\n',
      ]) assert.equal(one(id, text).fixes, undefined, text);
    });

    it('does not hit RUNs separated by another instruction, with different flags, with more than two commands, or in other stages', () => {
      none(id, 'FROM alpine:3.20\nRUN mkdir /a\nWORKDIR /a\nRUN touch x\n');
      none(id, 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\nRUN mkdir /a\n');
      none(id, 'FROM alpine:3.20\nRUN mkdir /a && cd /a && touch x\nRUN touch y\n');
      none(id, 'FROM alpine:3.20\nRUN mkdir /a\nRUN mkdir /b && touch /b/x && touch /b/y\n');
      none(id, 'FROM alpine:3.20 AS a\nRUN mkdir /a\nFROM alpine:3.20\nRUN mkdir /b\n');
    });
  });

  describe('copy-archive-then-extract', () => {
    const id = 'copy-archive-then-extract';

    it('hits a COPYed tarball that a later RUN extracts (DL3010), on the COPY source, without a fix', () => {
      for (const run of ['tar -xzf /tmp/app.tar.gz -C /opt', 'tar xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz', 'cd /tmp && tar --extract --file=app.tar.gz',
        'sudo tar -xvf app.tar.gz']) {
        const text = `FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN ${run}\n`;
        const d = one(id, text);
        assert.equal(covered(text, d), 'app.tar.gz');
        assert.deepEqual(d.aliases, { hadolint: 'DL3010' });
        assert.equal(d.fixes, undefined);
        assert.match(d.message, /"app\.tar\.gz" is copied here and extracted by the RUN on line 3/);
      }
      assert.equal(getRule(id)!.category, 'size');
    });

    it('does not hit other files, extractions ADD cannot do, other stages or COPY --from', () => {
      none(id, 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -tzf /tmp/app.tar.gz\n');
      none(id, 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz --strip-components=1 -C /opt\n');
      none(id, 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz app/bin\n');
      none(id, 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/other.tar.gz\n');
      none(id, 'FROM debian:12\nCOPY app.zip /tmp/\nRUN unzip /tmp/app.zip\n');
      none(id, 'FROM debian:12 AS a\nCOPY app.tar.gz /tmp/\nFROM debian:12\nRUN tar -xzf /tmp/app.tar.gz\n');
      none(id, 'FROM debian:12\nCOPY --from=dl /app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n');
      none(id, 'FROM debian:12\nADD app.tar.gz /opt/\n');
    });
  });
});

describe('bind-mount-build-input', () => {
  const id = 'bind-mount-build-input';

  it('reports a file copied only for a RUN that deletes it (absolute and WORKDIR-relative paths, sudo rm)', () => {
    const text = 'FROM python:3.12-slim\nCOPY requirements.txt /tmp/\nRUN pip install --no-cache-dir -r /tmp/requirements.txt && rm /tmp/requirements.txt\n';
    const d = one(id, text);
    assert.equal(d.range.start.line, 1);
    assert.match(d.message, /source=requirements\.txt,target=\/tmp\/requirements\.txt/);
    one(id, 'FROM alpine:3.20\nWORKDIR /build\nCOPY setup.sh ./setup.sh\nRUN sh setup.sh \\\n  && sudo rm -f /build/setup.sh\n');
    one(id, 'FROM alpine:3.20\nWORKDIR /build\nCOPY setup.sh /build/\nRUN ./setup.sh\nRUN rm setup.sh\n');
  });

  it('does not report files that stay, globs, --from copies, or a deletion of something else', () => {
    none(id, 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n');
    none(id, 'FROM alpine:3.20\nCOPY *.sh /tmp/\nRUN sh /tmp/a.sh && rm /tmp/a.sh\n');
    none(id, 'FROM alpine:3.20 AS b\nRUN true\nFROM alpine:3.20\nCOPY --from=b /x /tmp/x\nRUN cat /tmp/x && rm /tmp/x\n');
    none(id, 'FROM alpine:3.20\nCOPY a.sh /tmp/\nRUN sh /tmp/a.sh && rm /tmp/other.sh\n');
    none(id, 'FROM alpine:3.20\nCOPY a.sh /tmp/\nRUN echo "rm /tmp/a.sh"\n');
  });
});
