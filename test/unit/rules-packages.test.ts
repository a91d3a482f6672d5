import assert from 'node:assert/strict';
import { Diagnostic, getRule } from '../../src/core';
import { applyFix, covered, findings, lint, assertFixWorks as checkFix } from './helpers';

/** Applies the finding's first fix, re-lints, and checks the finding is gone and no new rule fires. */
const assertFixWorks = (text: string, d: Diagnostic, expectedText?: string): string => checkFix(text, d, expectedText, { gone: 'line' });

const one = (ruleId: string, text: string): Diagnostic => {
  const f = findings(ruleId, text);
  assert.equal(f.length, 1, `${ruleId}: expected one finding in\n${text}\ngot ${JSON.stringify(f.map((x) => x.message))}`);
  return f[0];
};
const none = (ruleId: string, text: string) => assert.deepEqual(findings(ruleId, text).map((d) => d.message), [], `${ruleId} should not fire on\n${text}`);

describe('package-manager rules', () => {
  it('are registered, documented by id and carry the aliases they attach', () => {
    for (const id of ['apt-get-no-install-recommends', 'missing-assume-yes', 'apt-lists-not-removed', 'apt-not-apt-get', 'package-index-update-alone',
      'dist-upgrade', 'unpinned-package-version', 'apk-add-no-cache', 'pip-no-cache-dir', 'rpm-cache-not-cleaned', 'yarn-cache-not-cleaned', 'package-cache-mount']) {
      assert.ok(getRule(id), id);
    }
  });

  describe('reading command lines', () => {
    it('tells packages from flags and flag values', () => {
      const text = 'FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confold install -y -t bookworm-backports --no-install-recommends curl=8.5 git\n';
      const d = one('unpinned-package-version', text);
      assert.equal(covered(text, d), 'git');
      assert.match(d.message, /installs git without a version/);
    });

    it('sees through sudo, env, xargs, sh -c and prefixes', () => {
      const text = 'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive sudo -E env A=1 apt-get install curl && sh -c "apt-get install git"\n';
      const f = findings('missing-assume-yes', text);
      assert.equal(f.length, 2);
      assert.equal(covered(text, f[0]), 'apt-get install');
    });

    it('does not read words in quotes, comments or arguments of other commands as commands', () => {
      none('missing-assume-yes', 'FROM debian:12\nRUN echo "apt-get install curl" && grep apt-get install.log\n');
      none('apt-not-apt-get', 'FROM debian:12\nRUN apt-get install -y apt && echo apt\n');
    });

    it('ignores JSON-form and PowerShell RUNs it cannot read as a POSIX shell', () => {
      none('missing-assume-yes', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN apt-get install curl\n');
    });
  });

  describe('apt-get-no-install-recommends', () => {
    it('hits apt-get install without the flag (DL3015, DS-0029) and fixes it', () => {
      const text = 'FROM debian:12\nRUN apt-get install -y curl\n';
      const d = one('apt-get-no-install-recommends', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3015', trivy: 'DS-0029' });
      assert.equal(covered(text, d), 'apt-get install');
      assertFixWorks(text, d, 'FROM debian:12\nRUN apt-get install --no-install-recommends -y curl\n');
    });

    it('accepts the flag anywhere and APT::Install-Recommends=false', () => {
      none('apt-get-no-install-recommends', 'FROM debian:12\nRUN apt-get install -y curl --no-install-recommends\n');
      none('apt-get-no-install-recommends', 'FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n');
      none('apt-get-no-install-recommends', 'FROM debian:12\nRUN apt-get install -y -s curl\n');
    });

    it('only looks at stages whose layers end up in the image', () => {
      none('apt-get-no-install-recommends', 'FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x\n');
      assert.equal(findings('apt-get-no-install-recommends', 'FROM debian:12 AS base\nRUN apt-get install -y gcc\nFROM base\n').length, 1);
    });
  });

  describe('missing-assume-yes', () => {
    it('hits apt-get, yum, dnf and zypper with their own codes', () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['apt-get install curl', { hadolint: 'DL3014', trivy: 'DS-0021' }],
        ['apt-get upgrade', { hadolint: 'DL3014' }],
        ['yum install httpd', { hadolint: 'DL3030' }],
        ['dnf install httpd', { hadolint: 'DL3038' }],
        ['zypper install curl', { hadolint: 'DL3034' }],
      ];
      for (const [cmd, aliases] of cases) assert.deepEqual(one('missing-assume-yes', `FROM x:1\nRUN ${cmd}\n`).aliases, aliases, cmd);
    });

    it('accepts -y, --yes, --assume-yes, -qq, -qy, --assumeyes, zypper -n and --non-interactive', () => {
      for (const cmd of ['apt-get install -y curl', 'apt-get --yes install curl', 'apt-get install --assume-yes curl', 'apt-get -qq install curl',
        'apt-get -qy install curl', 'apt-get -o APT::Get::Assume-Yes=true install curl', 'yum -y install httpd', 'dnf install --assumeyes httpd',
        'zypper -n install curl', 'zypper --non-interactive in curl', 'zypper install -y curl', 'microdnf install httpd']) {
        none('missing-assume-yes', `FROM x:1\nRUN ${cmd}\n`);
      }
    });

    it('still hits a single -q, which does not answer the prompt', () => {
      one('missing-assume-yes', 'FROM x:1\nRUN apt-get -q install curl\n');
    });

    it('fix adds -y after the subcommand', () => {
      const text = 'FROM x:1\nRUN yum install httpd && yum clean all\n';
      assertFixWorks(text, one('missing-assume-yes', text), 'FROM x:1\nRUN yum install -y httpd && yum clean all\n');
    });
  });

  describe('apt-lists-not-removed', () => {
    it('hits apt-get update without removing the lists (DL3009) and appends the rm', () => {
      const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n';
      const d = one('apt-lists-not-removed', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3009' });
      assertFixWorks(text, d, 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
    });

    it('accepts rm of the lists (or a directory above), distclean, and a cache or tmpfs mount', () => {
      for (const tail of ['rm -rf /var/lib/apt/lists/*', 'rm -rf /var/lib/apt/lists', 'rm -r /var/lib/apt/*', 'apt-get distclean']) {
        none('apt-lists-not-removed', `FROM debian:12\nRUN apt-get update; apt-get install -y curl; ${tail}\n`);
      }
      none('apt-lists-not-removed', 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n');
      none('apt-lists-not-removed', 'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt apt-get update && apt-get install -y curl\n');
    });

    it('hits when the rm comes before the update, and ignores build stages', () => {
      one('apt-lists-not-removed', 'FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n');
      none('apt-lists-not-removed', 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x\n');
    });

    it('offers no append after a trailing shell comment or an open operator', () => {
      const d = one('apt-lists-not-removed', 'FROM debian:12\nRUN apt-get update && apt-get install -y x # refresh\n');
      assert.equal(d.fixes, undefined);
    });
  });

  describe('apt-not-apt-get', () => {
    it('hits apt as a command (DL3027) and swaps in apt-get or apt-cache', () => {
      const text = 'FROM debian:12\nRUN apt update && apt-cache policy x && apt show curl\n';
      const f = findings('apt-not-apt-get', text);
      assert.equal(f.length, 2);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3027' });
      assert.equal(covered(text, f[0]), 'apt');
      assert.equal(f[1].fixes?.[0].edits[0].newText, 'apt-cache');
      assertFixWorks(text, f[0], 'FROM debian:12\nRUN apt-get update && apt-cache policy x && apt show curl\n');
    });

    it('has no fix for apt-only subcommands', () => {
      assert.equal(one('apt-not-apt-get', 'FROM debian:12\nRUN apt list --installed\n').fixes, undefined);
    });
  });

  describe('package-index-update-alone', () => {
    it('hits an update with no install after it in the same RUN (DS-0017)', () => {
      const d = one('package-index-update-alone', 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n');
      assert.deepEqual(d.aliases, { trivy: 'DS-0017' });
      one('package-index-update-alone', 'FROM alpine:3.20\nRUN apk update\n');
      one('package-index-update-alone', 'FROM fedora:40\nRUN dnf makecache\n');
      one('package-index-update-alone', 'FROM debian:12\nRUN apt-get install -y curl && apt-get update\n');
    });

    it('does not hit an update followed by an install, or yum update (which upgrades packages)', () => {
      none('package-index-update-alone', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n');
      none('package-index-update-alone', 'FROM debian:12\nRUN apt-get update; apt-get upgrade -y\n');
      none('package-index-update-alone', 'FROM alpine:3.20\nRUN apk update && apk add curl\n');
      none('package-index-update-alone', 'FROM centos:7\nRUN yum update -y\n');
    });

    it('fix merges the update into the next RUN when that one installs', () => {
      const text = 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n';
      assertFixWorks(text, one('package-index-update-alone', text),
        'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n');
    });

    it('offers no merge when the next instruction is not an install RUN, or the update RUN has flags', () => {
      assert.equal(one('package-index-update-alone', 'FROM debian:12\nRUN apt-get update\nCOPY . /app\nRUN apt-get install -y x\n').fixes, undefined);
      assert.equal(one('package-index-update-alone', 'FROM debian:12\nRUN --network=host apt-get update\nRUN apt-get install -y x\n').fixes, undefined);
    });
  });

  describe('dist-upgrade', () => {
    it('hits apt-get dist-upgrade (DS-0024) and zypper dup (DL3035)', () => {
      assert.deepEqual(one('dist-upgrade', 'FROM debian:12\nRUN apt-get dist-upgrade -y\n').aliases, { trivy: 'DS-0024' });
      assert.deepEqual(one('dist-upgrade', 'FROM opensuse/leap:15\nRUN zypper -n dup\n').aliases, { hadolint: 'DL3035' });
      none('dist-upgrade', 'FROM debian:12\nRUN apt-get upgrade -y\n');
    });
  });

  describe('unpinned-package-version', () => {
    const code = (text: string) => one('unpinned-package-version', text).aliases.hadolint;

    it('hits each manager with its hadolint code', () => {
      assert.equal(code('FROM x:1\nRUN apt-get install -y curl\n'), 'DL3008');
      assert.equal(code('FROM x:1\nRUN apk add --no-cache --virtual .deps curl\n'), 'DL3018');
      assert.equal(code('FROM x:1\nRUN pip install --no-cache-dir requests\n'), 'DL3013');
      assert.equal(code('FROM x:1\nRUN npm install -g typescript\n'), 'DL3016');
      assert.equal(code('FROM x:1\nRUN gem install bundler\n'), 'DL3028');
      assert.equal(code('FROM x:1\nRUN go install golang.org/x/tools/gopls@latest\n'), 'DL3062');
      assert.equal(code('FROM x:1\nRUN yum install -y httpd && yum clean all\n'), 'DL3033');
      assert.equal(code('FROM x:1\nRUN dnf install -y httpd && dnf clean all\n'), 'DL3041');
      assert.equal(code('FROM x:1\nRUN zypper -n in curl && zypper clean\n'), 'DL3037');
    });

    it('accepts each manager\'s pin syntax', () => {
      for (const cmd of ['apt-get install -y curl=8.5.0-2 ./local.deb', 'apk add --no-cache curl=8.9.1-r0 musl~1.2', 'pip install --no-cache-dir requests==2.32.3 "flask>=3" ./pkg',
        'pip install --no-cache-dir -r requirements.txt', 'npm install -g typescript@5.6.3 @types/node@20 ./lib', 'npm ci', 'gem install bundler:2.5.22',
        'gem install rails -v 7.1', 'go install golang.org/x/tools/gopls@v0.16.2', 'go install ./cmd/app', 'go install tool example.com/x/cmd/gen',
        'yum install -y httpd-2.4.57 && yum clean all', 'dnf install -y ./x.rpm && dnf clean all', 'dnf module install -y nodejs:20 && dnf clean all', 'zypper -n in curl=8.6.0 && zypper clean']) {
        none('unpinned-package-version', `FROM x:1\nRUN ${cmd}\n`);
      }
    });

    it('takes ARG-provided versions (and package lists in variables) as pinned', () => {
      none('unpinned-package-version', 'FROM x:1\nARG CURL_VERSION=8.5.0-2\nRUN apt-get install -y curl=${CURL_VERSION} $EXTRA_PACKAGES\n');
      none('unpinned-package-version', 'FROM x:1\nARG V\nRUN pip install --no-cache-dir "requests==$V" && npm i -g "pnpm@${PNPM}"\n');
    });

    it('reads rpm names like dnf does: a dash is not yet a version', () => {
      assert.match(one('unpinned-package-version', 'FROM x:1\nRUN dnf install -y epel-release python3-devel && dnf clean all\n').message, /2 packages/);
    });

    it('is info for distribution packages and warning for language packages', () => {
      assert.equal(one('unpinned-package-version', 'FROM x:1\nRUN apt-get install -y curl\n').severity, 'info');
      assert.equal(one('unpinned-package-version', 'FROM x:1\nRUN pip install --no-cache-dir requests\n').severity, 'warning');
    });

    it('lists several packages in one finding over their range', () => {
      const text = 'FROM x:1\nRUN apk add --no-cache a b=1 c d e f\n';
      const d = one('unpinned-package-version', text);
      assert.equal(covered(text, d), 'a b=1 c d e f');
      assert.match(d.message, /5 packages without a version \(a, c, d, e and 1 more\)/);
    });

    it('honours hadolint ignore pragmas by code', () => {
      none('unpinned-package-version', 'FROM x:1\n# hadolint ignore=DL3008\nRUN apt-get install -y curl\n');
    });
  });

  describe('apk-add-no-cache', () => {
    it('hits apk add without --no-cache (DL3019, DS-0025) and fixes it', () => {
      const text = 'FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n';
      const d = one('apk-add-no-cache', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3019', trivy: 'DS-0025' });
      assertFixWorks(text, d, 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\n');
    });

    it('accepts --no-cache anywhere, --no-network, a cache mount, and removing the cache in the same RUN', () => {
      for (const run of ['apk --no-cache add x=1', 'apk add x=1 --no-cache', 'apk add --no-network --virtual .rundeps x=1', '--mount=type=cache,target=/var/cache/apk apk add x=1',
        '--mount=type=cache,target=/etc/apk/cache apk add x=1', 'apk add --update x=1 && rm -rf /var/cache/apk/*']) {
        none('apk-add-no-cache', `FROM alpine:3.20\nRUN ${run}\n`);
      }
    });
  });

  describe('pip-no-cache-dir', () => {
    it('hits pip install without --no-cache-dir (DL3042) and fixes it', () => {
      const text = 'FROM python:3.12\nRUN python3 -m pip install -r requirements.txt\n';
      const d = one('pip-no-cache-dir', text);
      assert.equal(covered(text, d), 'python3 -m pip install');
      assertFixWorks(text, d, 'FROM python:3.12\nRUN python3 -m pip install --no-cache-dir -r requirements.txt\n');
    });

    it('accepts PIP_NO_CACHE_DIR (ENV, ARG, prefix, export), a cache mount, and removing the cache', () => {
      for (const pre of ['ENV PIP_NO_CACHE_DIR=1\n', 'ARG PIP_NO_CACHE_DIR=true\n']) none('pip-no-cache-dir', `FROM python:3.12\n${pre}RUN pip install -r r.txt\n`);
      for (const run of ['PIP_NO_CACHE_DIR=1 pip install -r r.txt', 'export PIP_NO_CACHE_DIR=1; pip install -r r.txt', '--mount=type=cache,target=/root/.cache/pip pip install -r r.txt',
        'pip install -r r.txt && rm -rf /root/.cache', 'pipx install poetry==1.8', 'pip download -r r.txt']) {
        none('pip-no-cache-dir', `FROM python:3.12\nRUN ${run}\n`);
      }
      one('pip-no-cache-dir', 'FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip install -r r.txt\n');
    });
  });

  describe('rpm-cache-not-cleaned', () => {
    it('hits each manager with its codes and appends the clean', () => {
      const cases: Array<[string, Record<string, string>]> = [
        ['yum install -y httpd-2.4', { hadolint: 'DL3032', trivy: 'DS-0015' }],
        ['dnf install -y httpd-2.4', { hadolint: 'DL3040', trivy: 'DS-0019' }],
        ['microdnf install httpd-2.4', { hadolint: 'DL3040', trivy: 'DS-0027' }],
        ['zypper -n install curl=8', { hadolint: 'DL3036', trivy: 'DS-0020' }],
      ];
      for (const [cmd, aliases] of cases) {
        const text = `FROM x:1\nRUN ${cmd}\n`;
        const d = one('rpm-cache-not-cleaned', text);
        assert.deepEqual(d.aliases, aliases, cmd);
        assertFixWorks(text, d);
      }
      assertFixWorks('FROM x:1\nRUN dnf install -y httpd-2.4\n', one('rpm-cache-not-cleaned', 'FROM x:1\nRUN dnf install -y httpd-2.4\n'), 'FROM x:1\nRUN dnf install -y httpd-2.4 && dnf clean all\n');
    });

    it('needs the clean after the last install; accepts rm of the cache and cache mounts', () => {
      one('rpm-cache-not-cleaned', 'FROM x:1\nRUN yum clean all && yum install -y httpd-2.4\n');
      one('rpm-cache-not-cleaned', 'FROM x:1\nRUN dnf install -y a-1 && dnf clean packages\n');
      none('rpm-cache-not-cleaned', 'FROM x:1\nRUN dnf install -y a-1 && rm -rf /var/cache/dnf\n');
      none('rpm-cache-not-cleaned', 'FROM x:1\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y a-1\n');
      none('rpm-cache-not-cleaned', 'FROM x:1\nRUN zypper -n in a=1 && zypper cc -a\n');
    });
  });

  describe('yarn-cache-not-cleaned', () => {
    it('hits yarn install (and bare yarn) without yarn cache clean (DL3060) and appends it', () => {
      const text = 'FROM node:20\nRUN yarn install --frozen-lockfile\n';
      const d = one('yarn-cache-not-cleaned', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3060' });
      assertFixWorks(text, d, 'FROM node:20\nRUN yarn install --frozen-lockfile && yarn cache clean\n');
      one('yarn-cache-not-cleaned', 'FROM node:20\nRUN yarn --production\n');
    });

    it('does not hit yarn --version, a clean after, or a cache mount', () => {
      none('yarn-cache-not-cleaned', 'FROM node:20\nRUN yarn --version && yarn build\n');
      none('yarn-cache-not-cleaned', 'FROM node:20\nRUN yarn install && yarn cache clean\n');
      none('yarn-cache-not-cleaned', 'FROM node:20\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n');
    });
  });

  describe('package-cache-mount', () => {
    it('suggests a cache mount for a language install after a COPY, and the fix adds it', () => {
      const text = 'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n';
      const d = one('package-cache-mount', text);
      assert.equal(d.severity, 'info');
      assertFixWorks(text, d, 'FROM python:3.12\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n');
      const npm = 'FROM node:20\nCOPY package*.json ./\nRUN npm ci\n';
      assertFixWorks(npm, one('package-cache-mount', npm), 'FROM node:20\nCOPY package*.json ./\nRUN --mount=type=cache,target=/root/.npm npm ci\n');
    });

    it('is quiet without a COPY before, with a cache mount, and for OS packages after a narrow COPY', () => {
      none('package-cache-mount', 'FROM python:3.12\nRUN pip install -r requirements.txt\n');
      none('package-cache-mount', 'FROM python:3.12\nCOPY r.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\n');
      none('package-cache-mount', 'FROM debian:12\nCOPY entrypoint.sh /\nRUN apt-get update && apt-get install -y x\n');
      one('package-cache-mount', 'FROM debian:12\nCOPY . /src\nRUN apt-get update && apt-get install -y x\n');
    });

    it('offers no fix when the cache is switched off or the user is not root', () => {
      assert.equal(one('package-cache-mount', 'FROM python:3.12\nCOPY r.txt .\nRUN pip install --no-cache-dir -r r.txt\n').fixes, undefined);
      assert.equal(one('package-cache-mount', 'FROM python:3.12\nUSER app\nCOPY r.txt .\nRUN pip install -r r.txt\n').fixes, undefined);
    });
  });
});
