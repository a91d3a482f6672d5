import assert from 'node:assert/strict';
import { RULES, Diagnostic } from '../../src/core';
import { applyFix, covered, findings, lint, assertFixWorks as checkFix } from './helpers';

/** Applies the finding's first fix, re-lints, and checks the finding is gone and nothing new appeared. */
const assertFixWorks = (text: string, d: Diagnostic, expectedText?: string): string => checkFix(text, d, expectedText);

describe('rules', () => {
  it('every rule has a unique kebab-case id, a category, a severity and a title', () => {
    const ids = new Set<string>();
    for (const r of RULES) {
      assert.match(r.id, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(!ids.has(r.id), r.id);
      ids.add(r.id);
      assert.ok(['security', 'cache', 'size', 'correctness', 'style'].includes(r.category));
      assert.ok(['error', 'warning', 'info', 'hint'].includes(r.severity));
      assert.ok(r.title.length > 10);
    }
  });

  describe('root-user', () => {
    it('hits USER root / 0 / root:root in the target stage', () => {
      for (const u of ['root', '0', 'root:root', '0:0', '00']) {
        const text = `FROM alpine:3.20\nUSER ${u}\n`;
        const f = findings('root-user', text);
        assert.equal(f.length, 1, u);
        assert.equal(covered(text, f[0]), u);
        assert.deepEqual(f[0].aliases, { hadolint: 'DL3002', trivy: 'DS-0002' });
      }
    });

    it('hits root inherited from the stage the target is built FROM', () => {
      const text = 'FROM alpine:3.20 AS base\nUSER root\nFROM base\nRUN true\n';
      const f = findings('root-user', text);
      assert.equal(f.length, 1);
      assert.equal(f[0].range.start.line, 1);
      assert.equal(f[0].fixes, undefined, 'no fix that would edit a parent stage');
    });

    it('does not hit a non-root last USER, root in a build-only stage, or a variable', () => {
      assert.equal(findings('root-user', 'FROM alpine:3.20\nUSER root\nRUN apk add curl\nUSER app\n').length, 0);
      assert.equal(findings('root-user', 'FROM alpine:3.20 AS build\nUSER root\nFROM alpine:3.20\nUSER 1000\n').length, 0);
      assert.equal(findings('root-user', 'FROM alpine:3.20\nARG U\nUSER $U\n').length, 0);
      assert.equal(findings('root-user', 'FROM alpine:3.20\nUSER rootless\n').length, 0);
      assert.equal(findings('root-user', 'FROM alpine:3.20\nUSER ROOT\n').length, 0, 'user names are case-sensitive');
    });

    it('resolves a variable with a known value', () => {
      assert.equal(findings('root-user', 'FROM alpine:3.20\nARG U=root\nUSER $U\n').length, 1);
    });

    it('honours --target', () => {
      const text = 'FROM alpine:3.20 AS dev\nUSER root\nFROM alpine:3.20 AS prod\nUSER app\n';
      assert.equal(findings('root-user', text).length, 0);
      assert.equal(findings('root-user', text, { target: 'dev' }).length, 1);
    });

    it('fix adds a USER after later build steps instead of breaking them', () => {
      const text = 'FROM alpine:3.20\nUSER root\nRUN apk add curl\nCMD ["sh"]\n';
      assertFixWorks(text, findings('root-user', text)[0], 'FROM alpine:3.20\nUSER root\nRUN apk add curl\nUSER 65534:65534\nCMD ["sh"]\n');
    });

    it('fix switches to an unprivileged user', () => {
      const text = 'FROM alpine:3.20\nUSER root\nCMD ["sh"]\n';
      assertFixWorks(text, findings('root-user', text)[0], 'FROM alpine:3.20\nUSER 65534:65534\nCMD ["sh"]\n');
    });
  });

  describe('missing-user', () => {
    it('hits when no USER exists anywhere in the target chain', () => {
      const text = 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app"]\n';
      const f = findings('missing-user', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'FROM node:20-alpine');
      assert.deepEqual(f[0].aliases, { trivy: 'DS-0002' });
      assert.equal(findings('root-user', text).length, 0, 'root-user (DL3002) does not fire without USER');
    });

    it('does not hit when a parent stage sets USER, for nonroot bases, or for fragments', () => {
      assert.equal(findings('missing-user', 'FROM alpine:3.20 AS base\nUSER app\nFROM base\nRUN true\n').length, 0);
      assert.equal(findings('missing-user', 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /\n').length, 0);
      assert.equal(findings('missing-user', 'RUN apt-get install foo\n').length, 0);
      assert.equal(findings('missing-user', 'FROM alpine:3.20\nUSER app\n').length, 0);
    });

    it('is only a note when the image sets up gosu / su-exec to drop privileges in its entrypoint', () => {
      const text = 'FROM debian:12\nRUN apt-get install -y --no-install-recommends gosu=1.14-1 && gosu nobody true\nENTRYPOINT ["docker-entrypoint.sh"]\n';
      const f = findings('missing-user', text);
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'info');
      assert.match(f[0].message, /gosu/);
      const echoed = findings('missing-user', 'FROM debian:12\nRUN echo "gosu nobody true"\n');
      assert.equal(echoed[0].severity, 'warning', 'a word inside a string is not a command');
    });

    it('only looks at the target stage chain', () => {
      assert.equal(findings('missing-user', 'FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20\nUSER 1000\n').length, 0);
    });

    it('fix adds USER after the last build step', () => {
      const text = 'FROM alpine:3.20\nRUN apk add curl\nCMD ["curl"]\n';
      assertFixWorks(text, findings('missing-user', text)[0], 'FROM alpine:3.20\nRUN apk add curl\nUSER 65534:65534\nCMD ["curl"]\n');
    });

    it('fix keeps CRLF line endings', () => {
      const text = 'FROM alpine:3.20\r\nRUN apk add curl\r\nCMD ["curl"]\r\n';
      const fixed = assertFixWorks(text, findings('missing-user', text)[0]);
      assert.equal(fixed, 'FROM alpine:3.20\r\nRUN apk add curl\r\nUSER 65534:65534\r\nCMD ["curl"]\r\n');
    });
  });

  describe('latest-tag', () => {
    it('hits untagged (DL3006) and :latest (DL3007) bases', () => {
      const text = 'FROM ubuntu\nFROM node:latest\nFROM docker.io/library/python\n';
      const f = findings('latest-tag', text);
      assert.deepEqual(f.map((d) => covered(text, d)), ['ubuntu', 'node:latest', 'docker.io/library/python']);
      assert.deepEqual(f.map((d) => d.aliases.hadolint), ['DL3006', 'DL3007', 'DL3006']);
      assert.ok(f.every((d) => d.aliases.trivy === 'DS-0001'));
    });

    it('exempts scratch, stages, digests, tags and unknown build args', () => {
      const text = 'FROM golang:1.22 AS build\nFROM build\nFROM scratch\nFROM alpine@sha256:0123456789abcdef\nARG BASE\nFROM $BASE\nFROM localhost:5000/app:2\n';
      assert.deepEqual(findings('latest-tag', text), []);
    });

    it('resolves global ARG defaults; hadolint alias only without variables', () => {
      const text = 'ARG TAG=latest\nFROM ubuntu:${TAG}\n';
      const f = findings('latest-tag', text);
      assert.equal(f.length, 1);
      assert.deepEqual(f[0].aliases, { trivy: 'DS-0001' });
      assert.equal(findings('latest-tag', text, { buildArgs: { TAG: '24.04' } }).length, 0);
    });

    it('treats registry ports as part of the name, not a tag', () => {
      assert.equal(findings('latest-tag', 'FROM localhost:5000/app\n').length, 1);
    });
  });

  describe('relative-workdir', () => {
    it('hits a relative path and fixes it to the resolved absolute path', () => {
      const text = 'FROM alpine:3.20\nWORKDIR /usr/src\nWORKDIR app\n';
      const f = findings('relative-workdir', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'app');
      assert.equal(f[0].aliases.buildkit, undefined, 'BuildKit only flags relative paths before any absolute WORKDIR');
      assertFixWorks(text, f[0], 'FROM alpine:3.20\nWORKDIR /usr/src\nWORKDIR /usr/src/app\n');
    });

    it('attaches BuildKit WorkdirRelativePath when no absolute WORKDIR came before', () => {
      const f = findings('relative-workdir', 'FROM alpine:3.20\nWORKDIR app\n');
      assert.deepEqual(f[0].aliases, { hadolint: 'DL3000', buildkit: 'WorkdirRelativePath', trivy: 'DS-0009' });
    });

    it('does not hit absolute, Windows, or unknown-variable paths', () => {
      assert.equal(findings('relative-workdir', 'FROM alpine:3.20\nWORKDIR /app\nARG D\nWORKDIR $D\nWORKDIR "/quoted"\n').length, 0);
      assert.equal(findings('relative-workdir', '# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nWORKDIR C:\\app\n').length, 0);
    });

    it('offers no mechanical fix when the path uses a variable', () => {
      const f = findings('relative-workdir', 'FROM alpine:3.20\nARG D=app\nWORKDIR $D\n');
      assert.equal(f.length, 1);
      assert.equal(f[0].fixes, undefined);
    });
  });

  describe('multiple-cmd / multiple-entrypoint / multiple-healthcheck', () => {
    it('flags every overridden CMD of a stage and removes it', () => {
      const text = 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]\nFROM alpine:3.20\nCMD ["d"]\n';
      const f = findings('multiple-cmd', text);
      assert.deepEqual(f.map((d) => d.range.start.line), [1, 2]);
      assert.deepEqual(f[0].aliases, { hadolint: 'DL4003', buildkit: 'MultipleInstructionsDisallowed', trivy: 'DS-0016' });
      assertFixWorks(text, f[0], 'FROM alpine:3.20\nCMD ["b"]\nCMD ["c"]\nFROM alpine:3.20\nCMD ["d"]\n');
    });

    it('ENTRYPOINT and HEALTHCHECK have their own rules and aliases', () => {
      const e = findings('multiple-entrypoint', 'FROM a:1\nENTRYPOINT ["x"]\nENTRYPOINT ["y"]\n');
      assert.equal(e.length, 1);
      assert.equal(e[0].aliases.hadolint, 'DL4004');
      const h = findings('multiple-healthcheck', 'FROM a:1\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n');
      assert.equal(h.length, 1);
      assert.equal(h[0].aliases.hadolint, 'DL3012');
    });

    it('does not hit one per stage', () => {
      assert.equal(findings('multiple-cmd', 'FROM a:1 AS x\nCMD ["a"]\nFROM a:1\nCMD ["b"]\n').length, 0);
    });

    it('removes a multi-line CMD whole', () => {
      const text = 'FROM a:1\nCMD echo a \\\n  && echo b\nCMD ["c"]\n';
      assertFixWorks(text, findings('multiple-cmd', text)[0], 'FROM a:1\nCMD ["c"]\n');
    });
  });

  describe('copy-from-unknown-stage', () => {
    it('hits an unknown stage name and suggests the closest one', () => {
      const text = 'FROM golang:1.22 AS builder\nRUN go build\nFROM alpine:3.20\nCOPY --from=biulder /app /app\nUSER 1\n';
      const f = findings('copy-from-unknown-stage', text);
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), 'biulder');
      assert.equal(f[0].aliases.hadolint, 'DL3022');
      assertFixWorks(text, f[0], text.replace('biulder', 'builder'));
    });

    it('hits a stage copying from itself (DL3023) and a numeric index that is not earlier', () => {
      const self = findings('copy-from-unknown-stage', 'FROM alpine:3.20 AS app\nCOPY --from=app /a /b\n');
      assert.equal(self.length, 1);
      assert.equal(self[0].aliases.hadolint, 'DL3023');
      assert.equal(self[0].severity, 'error');
      assert.equal(findings('copy-from-unknown-stage', 'FROM alpine:3.20\nCOPY --from=0 /a /b\n').length, 1);
      assert.equal(findings('copy-from-unknown-stage', 'FROM alpine:3.20\nFROM alpine:3.20\nCOPY --from=5 /a /b\n').length, 1);
    });

    it('reports a forward reference (BuildKit: a stage must be defined before the stage that copies from it)', () => {
      const f = findings('copy-from-unknown-stage', 'FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\n');
      assert.equal(f.length, 1);
      assert.equal(f[0].severity, 'error');
      assert.equal(f[0].aliases.hadolint, 'DL3022');
    });

    it('reports variables in --from (BuildKit does not expand them) and ADD --from', () => {
      const v = findings('copy-from-unknown-stage', 'FROM alpine:3.20 AS builder\nFROM alpine:3.20\nARG S=builder\nCOPY --from=$S /q /q\n');
      assert.equal(v.length, 1);
      assert.match(v[0].message, /does not expand variables/);
      assert.equal(v[0].fixes, undefined);
      const add = findings('copy-from-unknown-stage', 'FROM alpine:3.20 AS builder\nFROM alpine:3.20\nADD --from=builder /q /q\n');
      assert.equal(add.length, 1);
      assert.match(add[0].message, /ADD has no --from/);
    });

    it('accepts earlier stages (any case), indexes and image references', () => {
      const text = 'FROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=build /a /a\nCOPY --from=0 /a /a\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nCOPY --from=ghcr.io/x/y /z /z\n';
      assert.deepEqual(findings('copy-from-unknown-stage', text), []);
    });
  });

  describe('stage-name-casing and from-as-casing (BuildKit)', () => {
    it('lowercases a stage name', () => {
      const text = 'FROM alpine:3.20 AS Builder\n';
      const f = findings('stage-name-casing', text);
      assert.equal(f[0].aliases.buildkit, 'StageNameCasing');
      assertFixWorks(text, f[0], 'FROM alpine:3.20 AS builder\n');
    });

    it('matches AS to FROM casing', () => {
      const text = 'FROM alpine:3.20 as build\nfrom alpine:3.20 AS b2\nFrom alpine:3.20 as b3\n';
      const f = findings('from-as-casing', text);
      assert.equal(f.length, 2);
      assertFixWorks(text, f[0], 'FROM alpine:3.20 AS build\nfrom alpine:3.20 AS b2\nFrom alpine:3.20 as b3\n');
      assert.equal(findings('from-as-casing', 'FROM a:1 AS x\nfrom a:1 as y\n').length, 0);
    });
  });

  describe('syntax-error', () => {
    it('reports parse problems as error diagnostics', () => {
      const text = 'FROM alpine:3.20\nRUNN echo\nCOPY\n';
      const f = findings('syntax-error', text);
      assert.equal(f.length, 2);
      assert.equal(covered(text, f[0]), 'RUNN');
      assert.ok(f.every((d) => d.severity === 'error'));
    });
  });
});
