import assert from 'node:assert/strict';
import { analyze, Diagnostic } from '../../src/core';
import { applyFix, covered, findings, lint, assertFixWorks as checkFix } from './helpers';

/** Applies the finding's first (or given) fix, re-lints, and checks the finding is gone and nothing new appeared. */
const assertFixWorks = (text: string, d: Diagnostic, expectedText?: string, fixIndex = 0): string => checkFix(text, d, expectedText, { fixIndex });

describe('rules reading RUN shell', () => {
  describe('sudo-in-run', () => {
    it('hits sudo as a command, with DL3004 and (at the start of an && part) DS-0010', () => {
      const text = 'FROM debian:12\nRUN apt-get update && sudo apt-get install -y curl\n';
      const f = findings('sudo-in-run', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'sudo');
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3004', trivy: 'DS-0010' });
    });

    it('hits sudo after a pipe, in a subshell, in sh -c and in a heredoc script (DL3004 only off the && start)', () => {
      const text = 'FROM debian:12\nRUN echo x | sudo tee /etc/x\nRUN sh -c "sudo id"\nRUN <<EOF\nsudo id\nEOF\n';
      const f = findings('sudo-in-run', text);
      assert.deepEqual(f.map((d) => d.range.start.line), [1, 2, 4]);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3004' });
    });

    it('hits sudo called by path', () => {
      const text = 'FROM debian:12\nRUN /usr/bin/sudo id\n';
      assert.equal(covered(text, findings('sudo-in-run', text)[0]), '/usr/bin/sudo');
    });

    it('does not hit "sudo" as an argument, a quoted word or a package name', () => {
      const text = 'FROM debian:12\nRUN echo "sudo" && apt-get install -y sudo && grep sudo /etc/group\n';
      assert.equal(findings('sudo-in-run', text).length, 0);
    });

    it('fix removes sudo and its harmless options when USER root is set in the stage', () => {
      const text = 'FROM debian:12\nUSER root\nRUN sudo -E apt-get update\n';
      const d = findings('sudo-in-run', text)[0];
      assert.equal(d.fixes?.[0].isPreferred, true);
      assertFixWorks(text, d, 'FROM debian:12\nUSER root\nRUN apt-get update\n');
    });

    it('offers no fix when sudo switches user or the step runs as another user', () => {
      assert.equal(findings('sudo-in-run', 'FROM debian:12\nRUN sudo -u app make\n')[0].fixes, undefined);
      assert.equal(findings('sudo-in-run', 'FROM debian:12\nUSER app\nRUN sudo make\n')[0].fixes, undefined);
    });
  });

  describe('tls-verification-disabled', () => {
    const hits: Array<[string, string]> = [
      ['RUN curl -k https://x', '-k'],
      ['RUN curl -fsSLk https://x -o /x', '-fsSLk'],
      ['RUN curl --insecure https://x', '--insecure'],
      ['RUN wget --no-check-certificate https://x', '--no-check-certificate'],
      ['RUN pip install --trusted-host pypi.org flask', '--trusted-host'],
      ['RUN python3 -m pip install --trusted-host=pypi.org flask', '--trusted-host=pypi.org'],
      ['RUN apt-get install -y --allow-unauthenticated curl', '--allow-unauthenticated'],
      ['RUN apt-get install -y --force-yes curl', '--force-yes'],
      ['RUN apk add --allow-untrusted curl', '--allow-untrusted'],
      ['RUN rpm -i --nosignature x.rpm', '--nosignature'],
      ['RUN rpm -i --nodigest x.rpm', '--nodigest'],
      ['RUN yum install -y --nogpgcheck curl', '--nogpgcheck'],
      ['RUN dnf install -y --setopt=sslverify=false curl', '--setopt=sslverify=false'],
      ['RUN echo "sslverify=0" >> /etc/yum.conf', '"sslverify=0"'],
      ['RUN git -c http.sslVerify=false clone https://x', 'http.sslVerify=false'],
      ['RUN git config --global http.sslVerify false', 'http.sslVerify'],
      ['RUN npm config set strict-ssl false', 'strict-ssl'],
      ['RUN yarn config set strict-ssl false', 'strict-ssl'],
      ['RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm install', 'NODE_TLS_REJECT_UNAUTHORIZED=0'],
      ['RUN export GIT_SSL_NO_VERIFY=1 && git clone https://x', 'GIT_SSL_NO_VERIFY=1'],
      ['RUN env PYTHONHTTPSVERIFY=0 python app.py', 'PYTHONHTTPSVERIFY=0'],
      ['ENV NODE_TLS_REJECT_UNAUTHORIZED=0', 'NODE_TLS_REJECT_UNAUTHORIZED=0'],
      ['ENV PIP_TRUSTED_HOST pypi.org', 'PIP_TRUSTED_HOST'],
      ['ARG NPM_CONFIG_STRICT_SSL=false', 'NPM_CONFIG_STRICT_SSL=false'],
      ['RUN echo "deb [trusted=yes] http://repo.example.com ./" > /etc/apt/sources.list.d/x.list', '"deb [trusted=yes] http://repo.example.com ./"'],
      ['RUN curl --proxy-insecure -x http://p https://x', '--proxy-insecure'],
      ['RUN wget -e check_certificate=off https://x', 'check_certificate=off'],
      ['RUN uv pip install --allow-insecure-host pypi.org flask', '--allow-insecure-host'],
      ['RUN pip config set global.trusted-host pypi.org', 'global.trusted-host'],
      ['RUN apt-get -o Acquire::https::Verify-Peer=false update', 'Acquire::https::Verify-Peer=false'],
      ['RUN sed -i "s/gpgcheck=1/gpgcheck=0/" /etc/yum.repos.d/x.repo', '"s/gpgcheck=1/gpgcheck=0/"'],
      ['RUN zypper --no-gpg-checks install -y curl', '--no-gpg-checks'],
      ['RUN yarn config set enableStrictSsl false', 'enableStrictSsl'],
      ['RUN npm install --no-strict-ssl', '--no-strict-ssl'],
      ['RUN sh -c "curl -k https://x -o /x"', '-k'],
    ];
    for (const [line, word] of hits) {
      it(`hits ${line}`, () => {
        const text = `FROM debian:12\n${line}\n`;
        const f = findings('tls-verification-disabled', text);
        assert.equal(f.length, 1, JSON.stringify(f.map((d) => covered(text, d))));
        assert.equal(covered(text, f[0]), word);
      });
    }

    it('does not hit look-alikes: a -k of another tool, sslverify=1, quoted text in echo, local repositories and packages', () => {
      const text = [
        'FROM debian:12',
        'RUN ssh-keygen -k -f x && sort -k 2 file',
        'RUN curl -fsSL https://x -o /x -K /cfg',
        'RUN echo "curl -k is bad" && echo sslverify=1',
        'RUN echo "deb [ trusted=yes ] file:///tmp/repo ./" > /etc/apt/sources.list.d/temp.list',
        'RUN apk add --allow-untrusted /tmp/packages/nginx-module.apk',
        'ENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1',
        'ARG PIP_TRUSTED_HOST',
        '',
      ].join('\n');
      assert.deepEqual(findings('tls-verification-disabled', text).map((d) => covered(text, d)), []);
    });
  });

  describe('curl-pipe-shell', () => {
    it('hits curl | sh, wget -O- | bash, curl | python3 and sudo bash', () => {
      const text = 'FROM debian:12\nRUN curl -fsSL https://x/install.sh | sh\nRUN wget -qO- https://x | bash -s -- -y\nRUN curl https://bootstrap.pypa.io/get-pip.py | python3\nRUN curl -s https://x | sudo bash\n';
      const f = findings('curl-pipe-shell', text);
      assert.deepEqual(f.map((d) => d.range.start.line), [1, 2, 3, 4]);
      assert.equal(covered(text, f[0]), 'curl -fsSL https://x/install.sh | sh');
    });

    it('hits sh -c "$(curl ...)", bash <(curl ...) and eval "$(wget -O - ...)"', () => {
      const text = 'FROM debian:12\nRUN sh -c "$(curl -fsSL https://x)"\nRUN bash <(curl -s https://x)\nRUN eval "$(wget -O - https://x)"\n';
      assert.deepEqual(findings('curl-pipe-shell', text).map((d) => d.range.start.line), [1, 2, 3]);
    });

    it('counts curl -o - and wget --output-document=- as standard output, and . <(curl ...)', () => {
      const text = 'FROM debian:12\nRUN curl -fsSL -o - https://x | sh\nRUN wget --output-document=- https://x | bash\nRUN . <(curl -s https://x)\n';
      assert.deepEqual(findings('curl-pipe-shell', text).map((d) => d.range.start.line), [1, 2, 3]);
    });

    it('does not hit downloads to a file, pipes into non-interpreters, or wget writing a file', () => {
      const text = 'FROM debian:12\nRUN curl -fsSL https://x -o /tmp/i.sh && sh /tmp/i.sh\nRUN curl -fsSL https://x | tar -xz\nRUN wget https://x | sh\nRUN echo "$(curl -s https://x)" | gpg --import\n';
      assert.equal(findings('curl-pipe-shell', text).length, 0);
    });
  });

  describe('chmod-world-writable', () => {
    it('hits 777, 0666, -R 777, o+w and a+rwX', () => {
      const text = 'FROM debian:12\nRUN chmod 777 /app\nRUN chmod 0666 /f\nRUN chmod -R 777 /data\nRUN chmod o+w /f\nRUN chmod -R a+rwX /cache\n';
      const f = findings('chmod-world-writable', text);
      assert.deepEqual(f.map((d) => covered(text, d)), ['777', '0666', '777', 'o+w', 'a+rwX']);
      assert.match(f[2].message, /-R/);
    });

    it('hits ugo=rwx and a clause list with o+w', () => {
      const text = 'FROM debian:12\nRUN chmod ugo=rwx /a && chmod u+x,o+w /b\n';
      assert.equal(findings('chmod-world-writable', text).length, 2);
    });

    it('does not hit 755, 1777 (sticky, the /tmp idiom), +w (umask applies), o-w, u+w, -w or a variable', () => {
      assert.equal(findings('chmod-world-writable', 'FROM debian:12\nARG MODE=777\nRUN chmod -w f && chmod $MODE f\n').length, 0);
      const text = 'FROM debian:12\nRUN chmod 755 /app && chmod 1777 /tmp/x && chmod +w f && chmod o-w f && chmod u+w f && chmod a+t,a+w /shared\n';
      assert.equal(findings('chmod-world-writable', text).length, 0);
    });

    it('fix removes write permission for others', () => {
      const text = 'FROM debian:12\nRUN chmod -R 777 /app\n';
      assertFixWorks(text, findings('chmod-world-writable', text)[0], 'FROM debian:12\nRUN chmod -R 775 /app\n');
    });
  });

  describe('chpasswd-in-run', () => {
    it('hits chpasswd, not the word in echo', () => {
      const text = 'FROM debian:12\nRUN echo "root:secret" | chpasswd\nRUN echo chpasswd\n';
      const f = findings('chpasswd-in-run', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'chpasswd');
      assert.deepEqual(f[0].aliases, {});
    });
  });

  describe('secret-arg-in-run', () => {
    it('hits a secret-looking ARG expanded by RUN', () => {
      const text = 'FROM node:20\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n';
      const f = findings('secret-arg-in-run', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), '"//registry.npmjs.org/:_authToken=${NPM_TOKEN}"');
      assert.match(f[0].message, /--mount=type=secret,id=npm_token,env=NPM_TOKEN/);
    });

    it('attaches DS-0031 for Trivy\'s names in the last stage', () => {
      const text = 'FROM alpine:3.20\nARG GITHUB_TOKEN\nRUN git clone https://$GITHUB_TOKEN@github.com/x/y\n';
      assert.deepEqual(findings('secret-arg-in-run', text)[0].aliases, { trivy: 'DS-0031' });
    });

    it('hits credential set-up commands without a secret mount', () => {
      const text = 'FROM amazon/aws-cli:2.17.0\nRUN aws configure set aws_secret_access_key abc\n';
      assert.equal(findings('secret-arg-in-run', text).length, 1);
    });

    it('hits ${NAME:-default} and reads a secret mount by id case-insensitively', () => {
      const text = 'FROM alpine:3.20\nARG DB_PASSWORD\nRUN echo "${DB_PASSWORD:-x}" > /p\nRUN --mount=type=secret,id=db_password cat /run/secrets/db_password && echo $DB_PASSWORD\n';
      const f = findings('secret-arg-in-run', text);
      assert.equal(f.length, 1);
      assert.equal(f[0].range.start.line, 2);
    });

    it('does not hit non-secret ARGs, ENV, a name only in text, or a secret mount that sets the variable', () => {
      const text = [
        'FROM node:20',
        'ARG NODE_VERSION=20 GPG_KEY_FILE',
        'ENV API_TOKEN=x',
        'ARG NPM_TOKEN',
        'RUN echo $NODE_VERSION $GPG_KEY_FILE $API_TOKEN && echo NPM_TOKEN',
        'RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci --token "$NPM_TOKEN"',
        '',
      ].join('\n');
      assert.equal(findings('secret-arg-in-run', text).length, 0);
    });
  });

  describe('pipe-without-pipefail', () => {
    it('hits a pipe under /bin/sh with DL4006 and DS-0032', () => {
      const text = 'FROM debian:12\nRUN wget -O - https://x | tar xz\n';
      const f = findings('pipe-without-pipefail', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'wget -O - https://x | tar xz');
      assert.deepEqual(f[0].aliases, { hadolint: 'DL4006', trivy: 'DS-0032' });
    });

    it('does not hit with SHELL -o pipefail, set -o pipefail / -euo pipefail first, or without a pipe', () => {
      const ok = [
        'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n',
        'FROM debian:12\nSHELL ["/bin/bash", "-euxo", "pipefail", "-c"]\nRUN a | b\n',
        'FROM alpine:3.20\nRUN set -o pipefail && a | b\n',
        'FROM debian:12\nRUN set -euo pipefail; a | b\n',
        'FROM debian:12\nRUN bash -o pipefail -c "a | b"\n',
        'FROM debian:12\nRUN a || b && echo "x | y"\n',
        'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN a | b\n',
        'FROM debian:12\nRUN <<EOF\n#!/bin/bash -eo pipefail\na | b\nEOF\n',
      ];
      for (const text of ok) assert.equal(findings('pipe-without-pipefail', text).length, 0, text);
    });

    it('hits when the pipefail is set too late, in a subshell only, or only in the outer shell of sh -c', () => {
      const bad = [
        'FROM debian:12\nRUN a | b && set -o pipefail\n',
        'FROM debian:12\nRUN (set -o pipefail) && a | b\n',
        'FROM debian:12\nRUN set -o pipefail && sh -c "a | b"\n',
        'FROM debian:12\nSHELL ["/bin/sh", "-c"]\nRUN a | b\n',
        'FROM debian:12\nRUN a |& b\n',
      ];
      for (const text of bad) assert.equal(findings('pipe-without-pipefail', text).length, 1, text);
    });

    it('accepts -o pipefail in a ksh/mksh SHELL; offers no fix under another shell', () => {
      assert.equal(findings('pipe-without-pipefail', 'FROM debian:12\nSHELL ["/bin/mksh", "-o", "pipefail", "-c"]\nRUN a | b\n').length, 0);
      const f = findings('pipe-without-pipefail', 'FROM debian:12\nSHELL ["/usr/bin/zsh", "-c"]\nRUN a | b\n');
      assert.equal(f.length, 1);
      assert.equal(f[0].fixes, undefined);
    });

    it('fix on Alpine prefixes set -o pipefail (BusyBox ash supports it)', () => {
      const text = 'FROM alpine:3.20\nRUN wget -qO- https://x | tar xz\n';
      assertFixWorks(text, findings('pipe-without-pipefail', text)[0], 'FROM alpine:3.20\nRUN set -o pipefail && wget -qO- https://x | tar xz\n');
    });

    it('fix elsewhere switches SHELL to bash with pipefail (not preferred: needs bash)', () => {
      const text = 'FROM debian:12\nRUN curl -fsSL https://x | tar xz\n';
      const d = findings('pipe-without-pipefail', text)[0];
      assert.equal(d.fixes?.[0].isPreferred, false);
      assertFixWorks(text, d, 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://x | tar xz\n');
    });
  });

  describe('cd-in-run', () => {
    it('hits cd with DL3003 and DS-0013, once per RUN', () => {
      const text = 'FROM debian:12\nRUN cd /src && make && cd / && rm -rf /src\n';
      const f = findings('cd-in-run', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'cd /src');
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3003', trivy: 'DS-0013' });
    });

    it('hits cd in a subshell (DL3003 only), not in $(cd ... && pwd) nor as a word', () => {
      const text = 'FROM debian:12\nRUN (cd /src && make)\nRUN DIR="$(cd "$(dirname x)" && pwd)" && echo cd\n';
      const f = findings('cd-in-run', text);
      assert.equal(f.length, 1);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3003' });
    });

    it('hits cd inside sh -c and heredoc scripts', () => {
      const text = 'FROM debian:12\nRUN sh -c "cd /x && make"\nRUN <<EOF\ncd /y\nmake\nEOF\n';
      assert.deepEqual(findings('cd-in-run', text).map((d) => covered(text, d)), ['cd /x', 'cd /y']);
    });

    it('fix: cd /dir && rest → WORKDIR /dir + RUN rest, when it is the last step', () => {
      const text = 'FROM debian:12\nRUN cd /src && make install\n';
      assertFixWorks(text, findings('cd-in-run', text)[0], 'FROM debian:12\nWORKDIR /src\nRUN make install\n');
    });

    it('fix restores the previous WORKDIR when later steps depend on it', () => {
      const text = 'FROM debian:12\nWORKDIR /app\nRUN cd lib && make\nCOPY . .\n';
      const d = findings('cd-in-run', text)[0];
      assert.equal(d.fixes?.[0].isPreferred, true);
      assertFixWorks(text, d, 'FROM debian:12\nWORKDIR /app\nWORKDIR /app/lib\nRUN make\nWORKDIR /app\nCOPY . .\n');
    });

    it('no fix when cd is not the whole first part, has a variable, or is relative to an unknown directory', () => {
      for (const run of ['RUN make && cd /x && make', 'RUN cd $HOME && make', 'RUN cd src && make', 'RUN cd /x; make', 'RUN cd /x']) {
        const f = findings('cd-in-run', `FROM debian:12\n${run}\n`);
        assert.equal(f.length, 1, run);
        assert.equal(f[0].fixes, undefined, run);
      }
    });
  });

  describe('pointless-command', () => {
    it('hits hadolint\'s list as commands, not as arguments or packages', () => {
      const text = 'FROM debian:12\nRUN service nginx start && apt-get install -y vim && ps aux\n';
      const f = findings('pointless-command', text);
      assert.deepEqual(f.map((d) => covered(text, d)), ['service', 'ps']);
      assert.equal(findings('pointless-command', 'FROM debian:12\nRUN /usr/sbin/service x stop\n').length, 1);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3001' });
    });
  });

  describe('default-shell-via-ln', () => {
    it('hits ln that replaces /bin/sh', () => {
      const text = 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\nRUN ln -sf -t /bin /usr/bin/sh\n';
      const f = findings('default-shell-via-ln', text);
      assert.equal(f.length, 2);
      assert.equal(covered(text, f[0]), 'ln -sf /bin/bash /bin/sh');
      assert.deepEqual(f[0].aliases, { hadolint: 'DL4005' });
    });

    it('does not hit a link made from /bin/sh to elsewhere, nor other paths', () => {
      const text = 'FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/mysh && ln -s /bin/bash /bin/bash5\n';
      assert.equal(findings('default-shell-via-ln', text).length, 0);
    });
  });

  describe('wget-and-curl', () => {
    it('hits every RUN using either once both are used in a stage (DL4001, DS-0014)', () => {
      const text = 'FROM debian:12\nRUN curl -fsSL https://x -o /x\nRUN wget -q https://y\nRUN curl -fsSL https://z -o /z\nFROM debian:12\nRUN wget -q https://y\n';
      const f = findings('wget-and-curl', text);
      assert.deepEqual(f.map((d) => d.range.start.line), [2, 3]);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL4001', trivy: 'DS-0014' });
    });

    it('does not count installing the packages as using them', () => {
      assert.equal(findings('wget-and-curl', 'FROM debian:12\nRUN apt-get install -y curl wget && curl -fsSL https://x -o /x\n').length, 0);
    });
  });

  describe('wget-progress', () => {
    it('hits wget without --progress / -q / -nv / -o; fix adds --progress=dot:giga', () => {
      const text = 'FROM debian:12\nRUN wget https://x/a.tgz\n';
      const f = findings('wget-progress', text);
      assert.equal(f.length, 1);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3047' });
      assertFixWorks(text, f[0], 'FROM debian:12\nRUN wget --progress=dot:giga https://x/a.tgz\n');
    });

    it('does not hit with --progress, -q, -qO-, -nv, --no-verbose or -o log', () => {
      const text = 'FROM debian:12\nRUN wget --progress=dot:giga a && wget -q a && wget -qO- a && wget -nv a && wget --no-verbose a && wget -o log a && wget -a log a && wget --quiet a\n';
      assert.equal(findings('wget-progress', text).length, 0);
    });
  });

  describe('useradd-without-l', () => {
    it('hits a UID of six digits or more without -l; fix adds -l', () => {
      const text = 'FROM debian:12\nRUN useradd -u 1000000 app\n';
      const f = findings('useradd-without-l', text);
      assert.equal(f.length, 1);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3046' });
      assertFixWorks(text, f[0], 'FROM debian:12\nRUN useradd -l -u 1000000 app\n');
    });

    it('reads --uid=, -u123456 and a UID from an ARG with a known value', () => {
      const text = 'FROM debian:12\nARG UID=200000\nRUN useradd --uid=123456 a && useradd -u123456 b && useradd -u "$UID" c && useradd --uid 123456 d\n';
      assert.equal(findings('useradd-without-l', text).length, 4);
    });

    it('does not hit with -l / --no-log-init, a small UID, no UID, or an unknown variable', () => {
      const text = 'FROM debian:12\nARG UID\nRUN useradd -l -u 1000000 a && useradd --no-log-init -u 1000000 b && useradd -u 1000 c && useradd d && useradd -u "$UID" e\n';
      assert.equal(findings('useradd-without-l', text).length, 0);
    });
  });

  describe('chown-in-separate-layer', () => {
    it('hits chown -R over a COPY destination of the same stage', () => {
      const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && chown -R node:node /app\n';
      const f = findings('chown-in-separate-layer', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), '/app');
      assert.match(f[0].message, /COPY --chown=node:node/);
      assert.equal(f[0].fixes, undefined, 'the RUN does more than the chown');
    });

    it('resolves relative paths and ARG/ENV variables', () => {
      const text = 'FROM node:20\nENV APP=/srv/app\nCOPY src/ $APP/src/\nWORKDIR /srv\nRUN chown -R app app\n';
      assert.equal(findings('chown-in-separate-layer', text).length, 1);
    });

    it('does not hit globs, or relative paths after a cd in the same RUN', () => {
      const text = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN chown -R app /app/* && cd /tmp && chown -R app .\n';
      assert.equal(findings('chown-in-separate-layer', text).length, 0);
    });

    it('does not hit a chown without -R, of other paths, in another stage, or before the COPY', () => {
      const text = 'FROM node:20 AS a\nCOPY . /app\nRUN chown app /app && chown -R app /var/log\nFROM node:20\nRUN chown -R app /app\nCOPY . /app\n';
      assert.equal(findings('chown-in-separate-layer', text).length, 0);
    });

    it('fix moves the owner to COPY --chown when the RUN is only the chown right after the COPY', () => {
      const text = 'FROM node:20\nCOPY app/ /app/\nRUN chown -R node:node /app\nUSER node\n';
      const d = findings('chown-in-separate-layer', text)[0];
      assert.equal(d.fixes?.[0].isPreferred, false);
      assertFixWorks(text, d, 'FROM node:20\nCOPY --chown=node:node app/ /app/\nUSER node\n');
    });
  });

  it('PowerShell RUNs are not read as POSIX shell', () => {
    const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN curl.exe -k https://x | iex; sudo x; cd C:\\\\app\n';
    const ids = lint(text).map((d) => d.ruleId);
    for (const id of ['sudo-in-run', 'tls-verification-disabled', 'cd-in-run', 'pipe-without-pipefail']) assert.ok(!ids.includes(id), id);
  });

  it('hadolint ignore pragmas match these rules\' codes', () => {
    const text = 'FROM debian:12\n# hadolint ignore=DL3004,DL3003\nRUN cd /x && sudo make\n';
    assert.equal(findings('sudo-in-run', text).length, 0);
    assert.equal(findings('cd-in-run', text).length, 0);
  });

  it('commands and options named like Object.prototype members are not wrappers or switches', () => {
    // `toString`, `constructor` and `hasOwnProperty` once found Object.prototype's members in lookup tables: the
    // package rules threw, and `hasOwnProperty curl -k` read as a wrapper around curl.
    const text = 'FROM debian:12\nRUN toString -x apt-get install foo\nRUN constructor apt-get install bar\n'
      + 'RUN hasOwnProperty curl -k https://example.com/\nRUN curl https://example.com/ --constructor --toString\n'
      + 'ENV constructor=0 toString=1\n';
    const res = analyze(text);
    assert.deepEqual(res.ruleErrors, []);
    assert.deepEqual(findings('tls-verification-disabled', text), []);
    assert.deepEqual(findings('missing-assume-yes', text), []);
  });
});
