/**
 * Rules that read the instruction structure (not RUN's shell): secrets in ARG/ENV, EXPOSE, ADD, COPY, stage names,
 * variables, --platform, casing and legacy forms, and the rules that only run when configured.
 */
import assert from 'node:assert/strict';
import { analyze, ConfigLayer, Diagnostic, getRule, Rule, RULES } from '../../src/core';
import { applyFix, covered, findings, lint, assertFixWorks as checkFix } from './helpers';

/** Applies the finding's first fix, re-lints, and checks the finding is gone and no new rule fires. */
const assertFixWorks = (text: string, d: Diagnostic, expectedText?: string, layers: ConfigLayer[] = []): string => checkFix(text, d, expectedText, { layers });

const one = (ruleId: string, text: string, layers: ConfigLayer[] = []): Diagnostic => {
  const f = findings(ruleId, text, { layers });
  assert.equal(f.length, 1, `${ruleId}: expected one finding in\n${text}\ngot ${JSON.stringify(f.map((x) => x.message))}`);
  return f[0];
};
const none = (ruleId: string, text: string, layers: ConfigLayer[] = []) => {
  const f = findings(ruleId, text, { layers });
  assert.deepEqual(f.map((x) => x.message), [], `${ruleId}: expected nothing in\n${text}`);
};
const on = (rules: Record<string, 'error' | 'warning' | 'info' | 'hint' | 'off'>, options?: ConfigLayer['options']): ConfigLayer[] => [{ source: 'test', rules, options }];

describe('structure rules', () => {
  it('are registered, each with a kebab-case id and a valid default', () => {
    const ids = ['secret-in-arg-or-env', 'untrusted-registry', 'expose-ssh', 'workdir-system-dir', 'add-instead-of-copy',
      'add-url-without-checksum', 'non-numeric-user', 'duplicate-stage-name', 'reserved-stage-name', 'undefined-variable',
      'env-self-reference', 'onbuild-restrictions', 'copy-destination-slash', 'copy-relative-dest', 'expose-invalid',
      'json-args-recommended', 'platform-flag', 'empty-continuation-line', 'missing-healthcheck', 'copy-from-root',
      'maintainer-deprecated', 'legacy-key-value', 'instruction-casing', 'expose-proto-casing', 'label-schema'];
    for (const id of ids) assert.ok(getRule(id), id);
    assert.equal(RULES.filter((r) => r.defaultEnabled === false).map((r) => r.id).sort().join(), 'inline-ignore-pragma,label-schema,missing-healthcheck,non-numeric-user');
  });

  describe('rules that are off by default', () => {
    const fake: Rule = {
      id: 'fake-off', category: 'style', severity: 'info', aliases: { hadolint: ['DL9001', 'DL9002'] }, title: 'a rule for this test only',
      fixable: false, defaultEnabled: false,
      enabledWhen: (o) => o.strictLabels === true,
      check: ({ model }) => [
        { ruleId: 'fake-off', message: 'one', range: model.steps[0].range, aliases: { hadolint: 'DL9001' } },
        { ruleId: 'fake-off', message: 'two', range: model.steps[0].range, aliases: { hadolint: 'DL9002' } },
      ],
    };
    const run = (layers: ConfigLayer[]) => analyze('FROM a:1\n', { rules: [fake], layers }).diagnostics.map((d) => `${d.message}:${d.severity}`);
    it('report nothing without configuration, or when a layer turns them off', () => {
      assert.deepEqual(run([]), []);
      assert.deepEqual(run(on({ 'fake-off': 'off' })), []);
    });
    it('a layer naming the rule id turns on every finding; naming one code turns on only that code\'s findings', () => {
      assert.deepEqual(run(on({ 'fake-off': 'warning' })), ['one:warning', 'two:warning']);
      assert.deepEqual(run(on({ dl9002: 'error' })), ['two:error']);
    });
    it('enabledWhen turns the whole rule on at its own severities', () => {
      assert.deepEqual(run(on({}, { strictLabels: true })), ['one:info', 'two:info']);
    });
  });

  describe('secret-in-arg-or-env', () => {
    it('flags secret-looking names with the codes of the tools that flag them', () => {
      const a = one('secret-in-arg-or-env', 'FROM alpine:3.20\nARG GITHUB_TOKEN\n');
      assert.deepEqual(a.aliases, { hadolint: 'DL3064', buildkit: 'SecretsUsedInArgOrEnv', trivy: 'DS-0031' });
      assert.equal(covered('FROM alpine:3.20\nARG GITHUB_TOKEN\n', a), 'GITHUB_TOKEN');
      assert.equal(a.severity, 'warning');
      // BuildKit's whole-word "key"; hadolint's substrings; Trivy only in the last stage.
      assert.deepEqual(one('secret-in-arg-or-env', 'FROM a:1\nENV SERVICE_APIKEY=x\n').aliases, { buildkit: 'SecretsUsedInArgOrEnv' });
      assert.deepEqual(one('secret-in-arg-or-env', 'FROM a:1\nENV API_KEY=x\n').aliases, { hadolint: 'DL3064', buildkit: 'SecretsUsedInArgOrEnv' });
      assert.deepEqual(one('secret-in-arg-or-env', 'FROM a:1\nENV DBPASSWORDX=x\n').aliases, { hadolint: 'DL3064' });
      assert.deepEqual(one('secret-in-arg-or-env', 'FROM a:1\nENV AZURE_CLIENT_ID=x\n').aliases, { trivy: 'DS-0031' });
      assert.deepEqual(one('secret-in-arg-or-env', 'FROM a:1 AS b\nENV AZURE_CLIENT_ID=x\nFROM a:1\n').aliases, {}, 'DS-0031 looks at the last stage only');
      assert.deepEqual(one('secret-in-arg-or-env', 'FROM a:1\nENV VITE_GITHUB_TOKEN=x\n').aliases.trivy, 'DS-0031');
      // Legacy ENV form and a global ARG.
      assert.equal(one('secret-in-arg-or-env', 'FROM a:1\nENV DB_PASSWORD secret value\n').aliases.buildkit, 'SecretsUsedInArgOrEnv');
      assert.deepEqual(one('secret-in-arg-or-env', 'ARG NPM_TOKEN\nFROM a:1\n').aliases, { hadolint: 'DL3064' });
    });

    it('does not flag public keys, fingerprints, secret-file paths or ordinary names', () => {
      for (const name of ['GPG_KEY', 'WORDPRESS_CLI_GPG_KEY', 'MINIO_ROOT_PASSWORD_FILE', 'SECRET_KEY_PATH', 'PUBLIC_KEY', 'NODE_VERSION', 'KEYCLOAK_VERSION', 'MONKEY', 'AUTHOR']) {
        none('secret-in-arg-or-env', `FROM a:1\nENV ${name}=x\n`);
      }
    });

    it('flags credential-shaped values whatever the name, as errors, without echoing the secret', () => {
      const cases: Array<[string, RegExp]> = [
        ['AKIAIOSFODNN7EXAMPLE', /AWS access key/],
        [`ghp_${'a1B2'.repeat(9)}`, /GitHub token/],
        [`github_pat_${'A1b2_'.repeat(12)}`, /GitHub fine-grained/],
        [`glpat-${'x'.repeat(20)}`, /GitLab/],
        ['xoxb-123456789012-abcdefghij', /Slack token/],
        ['"-----BEGIN RSA PRIVATE KEY-----"', /private key/],
        ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', /JSON Web Token/],
        ['postgres://app:s3cr3tpw@db:5432/app', /password in it/],
      ];
      for (const [value, label] of cases) {
        const text = `FROM a:1\nENV SETTING=${value}\n`;
        const d = one('secret-in-arg-or-env', text);
        assert.equal(d.severity, 'error', value);
        assert.match(d.message, label);
        assert.ok(!d.message.includes(value.replace(/"/g, '').slice(8)), 'the message shows only a prefix');
        assert.equal(covered(text, d), value);
      }
      none('secret-in-arg-or-env', 'FROM a:1\nENV DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n');
      none('secret-in-arg-or-env', 'FROM a:1\nENV HOME_URL=https://example.com/akia\n');
    });

    it('honours hadolint and BuildKit pragmas through its codes', () => {
      none('secret-in-arg-or-env', 'FROM a:1\n# hadolint ignore=DL3064\nARG GITHUB_TOKEN\n');
      assert.equal(findings('secret-in-arg-or-env', '# check=skip=SecretsUsedInArgOrEnv\nFROM a:1\nENV API_KEY=x\n').length, 0);
    });
  });

  describe('untrusted-registry', () => {
    const trusted = (list: string[]) => on({}, { trustedRegistries: list });
    it('does nothing without a configured list', () => {
      none('untrusted-registry', 'FROM quay.io/x/y:1\n');
    });
    it('flags FROM, COPY --from and RUN --mount from= images outside the list', () => {
      const text = 'FROM quay.io/x/y:1\nCOPY --from=ghcr.io/o/tool:1 /t /t\nRUN --mount=type=bind,from=evil.io/z:1,target=/z true\n';
      const f = findings('untrusted-registry', text, { layers: trusted(['docker.io']) });
      assert.deepEqual(f.map((d) => d.range.start.line), [0, 1, 2]);
      assert.equal(covered(text, f[0]), 'quay.io/x/y:1');
      assert.equal(f[0].aliases.hadolint, 'DL3026');
    });
    it('accepts Docker Hub spellings, wildcards, scratch and stage names', () => {
      const text = 'FROM ubuntu:24.04 AS base\nFROM scratch\nFROM base\nFROM eu.gcr.io/p/i:1\nCOPY --from=base /a /a\n';
      none('untrusted-registry', text, trusted(['hub.docker.com', '*.gcr.io']));
      assert.equal(findings('untrusted-registry', 'FROM gcr.io/p/i:1\n', { layers: trusted(['*.gcr.io']) }).length, 1, '*.gcr.io does not match gcr.io itself');
      assert.equal(findings('untrusted-registry', 'FROM ubuntu:24.04\n', { layers: trusted(['my.registry']) }).length, 1);
    });
  });

  describe('expose-*', () => {
    it('expose-ssh: port 22 alone, with a protocol, in a range or through a variable', () => {
      const d = one('expose-ssh', 'FROM a:1\nEXPOSE 80 22/tcp\n');
      assert.deepEqual(d.aliases, { trivy: 'DS-0004' });
      assert.deepEqual(one('expose-ssh', 'FROM a:1\nEXPOSE 20-25\n').aliases, {}, 'Trivy compares the words as written');
      assert.deepEqual(one('expose-ssh', 'FROM a:1\nARG P=22\nEXPOSE $P\n').aliases, {});
      none('expose-ssh', 'FROM a:1\nEXPOSE 2222 220 8022\n');
      none('expose-ssh', 'FROM a:1\nARG P\nEXPOSE $P\n');
    });

    it('expose-invalid: range, bad ranges and protocols, host mappings', () => {
      assert.deepEqual(one('expose-invalid', 'FROM a:1\nEXPOSE 65536\n').aliases, { hadolint: 'DL3011', trivy: 'DS-0008' });
      assert.deepEqual(one('expose-invalid', 'FROM a:1\nEXPOSE 8000-70000/udp\n').aliases, { hadolint: 'DL3011' });
      assert.match(one('expose-invalid', 'FROM a:1\nEXPOSE 90-80\n').message, /80-90/);
      assert.match(one('expose-invalid', 'FROM a:1\nEXPOSE 53/http\n').message, /tcp, udp or sctp/);
      assert.match(one('expose-invalid', 'FROM a:1\nEXPOSE http\n').message, /must be a number/);
      none('expose-invalid', 'FROM a:1\nEXPOSE 0 65535 80/tcp 53/udp 9000/sctp 8000-8010 80/TCP\nARG P\nEXPOSE $P\n');
    });

    it('expose-invalid: a host mapping keeps the container port, as a BuildKit warning', () => {
      for (const [spec, port] of [['8080:80', '80'], ['127.0.0.1:8080:80/udp', '80/udp']]) {
        const text = `FROM a:1\nEXPOSE 443 ${spec}\n`;
        const d = one('expose-invalid', text);
        assert.equal(d.severity, 'warning');
        assert.deepEqual(d.aliases, { buildkit: 'ExposeInvalidFormat' });
        assertFixWorks(text, d, `FROM a:1\nEXPOSE 443 ${port}\n`);
      }
    });

    it('expose-proto-casing: flags and lowercases the protocol only', () => {
      const text = 'FROM a:1\nEXPOSE 80/TCP "53/Udp"\n';
      const f = findings('expose-proto-casing', text);
      assert.deepEqual(f.map((d) => covered(text, d)), ['TCP', 'Udp']);
      assert.deepEqual(f[0].aliases, { buildkit: 'ExposeProtoCasing' });
      const once = assertFixWorks(text, f[0], 'FROM a:1\nEXPOSE 80/tcp "53/Udp"\n');
      assertFixWorks(once, findings('expose-proto-casing', once)[0], 'FROM a:1\nEXPOSE 80/tcp "53/udp"\n');
      none('expose-proto-casing', 'FROM a:1\nEXPOSE 80/tcp 80\n');
    });
  });

  describe('workdir-system-dir', () => {
    it('flags WORKDIR in /proc, /sys, /dev, /boot (also reached through a relative path)', () => {
      assert.deepEqual(one('workdir-system-dir', 'FROM a:1\nWORKDIR /proc/self\n').aliases, { trivy: 'DS-0030' });
      assert.deepEqual(one('workdir-system-dir', 'FROM a:1\nWORKDIR /sys\n').aliases, {}, 'Trivy has no /sys and wants a slash after the directory');
      assert.deepEqual(one('workdir-system-dir', 'FROM a:1\nWORKDIR /\nWORKDIR dev/shm\n').aliases, {});
      assert.deepEqual(one('workdir-system-dir', 'FROM a:1\nWORKDIR "/boot/x"\n').aliases, { trivy: 'DS-0030' });
    });
    it('does not flag look-alikes or unknown variables', () => {
      none('workdir-system-dir', 'FROM a:1\nWORKDIR /process\nWORKDIR /srv/dev\nWORKDIR /devel\nARG D\nWORKDIR $D\n');
    });
  });

  describe('add-instead-of-copy', () => {
    it('flags local non-archive sources and replaces ADD with COPY', () => {
      const text = 'FROM a:1\nADD --chown=1:1 app.py config/ /app/\n';
      const d = one('add-instead-of-copy', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3020', trivy: 'DS-0005' });
      assertFixWorks(text, d, 'FROM a:1\nCOPY --chown=1:1 app.py config/ /app/\n');
      const lower = 'from a:1\nadd app.py /app/\n';
      assertFixWorks(lower, one('add-instead-of-copy', lower), 'from a:1\ncopy app.py /app/\n');
    });
    it('flags .zip (ADD does not unpack it) and heredocs', () => {
      assert.equal(one('add-instead-of-copy', 'FROM a:1\nADD site.zip /srv/\n').aliases.hadolint, 'DL3020');
      one('add-instead-of-copy', 'FROM a:1\nADD <<EOF /etc/motd\nhello\nEOF\n');
    });
    it('accepts archives, URLs, Git sources and unknown variables', () => {
      none('add-instead-of-copy', 'FROM a:1\nADD rootfs.tar.xz /\nADD https://example.com/a.bin /a\nADD git@github.com:o/r.git /src\nADD https://github.com/o/r.git?ref=v1 /r\nARG SRC\nADD $SRC /x\n');
    });
    it('a mix of an archive and a plain file is reported without a fix', () => {
      const d = one('add-instead-of-copy', 'FROM a:1\nADD rootfs.tar notes.txt /\n');
      assert.equal(d.fixes, undefined);
      assert.deepEqual(d.aliases, { hadolint: 'DL3020' }, 'Trivy sees ".tar" somewhere in the arguments');
    });
  });

  describe('add-url-without-checksum', () => {
    it('flags http(s) URLs without --checksum, on the URL', () => {
      const text = 'FROM a:1\nARG V=1\nADD https://example.com/tool-${V}.tgz /opt/\n';
      const d = one('add-url-without-checksum', text);
      assert.equal(covered(text, d), 'https://example.com/tool-${V}.tgz');
      assert.match(d.message, /tool-1\.tgz/);
    });
    it('accepts --checksum, local files and Git URLs', () => {
      none('add-url-without-checksum', 'FROM a:1\nADD --checksum=sha256:0123 https://example.com/t.tgz /opt/\nADD t.tgz /opt/\nADD https://github.com/o/r.git#v1 /r\n');
    });
  });

  describe('non-numeric-user (off by default)', () => {
    const enabled = on({ 'non-numeric-user': 'info' });
    it('is silent unless enabled', () => {
      none('non-numeric-user', 'FROM a:1\nUSER app\n');
    });
    it('flags names (also user:group), not UIDs, root, or unknown build args', () => {
      assert.deepEqual(one('non-numeric-user', 'FROM a:1\nUSER app:app\n', enabled).aliases, { hadolint: 'DL3066' });
      none('non-numeric-user', 'FROM a:1\nUSER 1000\nUSER 1000:app\nUSER root\nARG UID\nUSER $UID\n', enabled);
      assert.equal(findings('non-numeric-user', 'FROM a:1\nARG U=app\nUSER $U\n', { layers: enabled }).length, 1);
    });
    it('can be enabled by its hadolint code', () => {
      assert.equal(findings('non-numeric-user', 'FROM a:1\nUSER app\n', { layers: on({ dl3066: 'warning' }) })[0]?.severity, 'warning');
    });
  });

  describe('duplicate-stage-name and reserved-stage-name', () => {
    it('flags the second use of a name, case-insensitively', () => {
      const text = 'FROM a:1 AS build\nFROM b:1 AS Build\nFROM c:1 AS build\n';
      const f = findings('duplicate-stage-name', text);
      assert.deepEqual(f.map((d) => d.range.start.line), [1, 2]);
      assert.deepEqual(f[0].aliases, { buildkit: 'DuplicateStageName', trivy: 'DS-0012' }, 'hadolint compares as written');
      assert.deepEqual(f[1].aliases, { hadolint: 'DL3024', buildkit: 'DuplicateStageName', trivy: 'DS-0012' });
      assert.match(f[0].message, /line 1/);
      none('duplicate-stage-name', 'FROM a:1 AS one\nFROM a:1 AS two\nFROM a:1\nFROM a:1\n');
    });
    it('flags scratch and context as stage names', () => {
      assert.deepEqual(one('reserved-stage-name', 'FROM a:1 AS scratch\n').aliases, { hadolint: 'DL3063', buildkit: 'ReservedStageName' });
      one('reserved-stage-name', 'FROM a:1 AS Context\n');
      none('reserved-stage-name', 'FROM scratch AS base\nFROM a:1 AS contexts\n');
    });
  });

  describe('undefined-variable', () => {
    it('UndefinedArgInFrom: a variable in FROM that no global ARG declares', () => {
      const text = 'ARG VERSION=1\nFROM alpine:${VERSON}\n';
      const f = findings('undefined-variable', text).filter((d) => d.aliases.buildkit === 'UndefinedArgInFrom');
      assert.equal(f.length, 1);
      assert.equal(covered(text, f[0]), '${VERSON}');
      assert.match(f[0].message, /did you mean \$VERSION/);
      assert.match(findings('undefined-variable', 'FROM a:1\nARG TAG=1\nFROM b:${TAG}\n').find((d) => d.aliases.buildkit === 'UndefinedArgInFrom')!.message, /above the first FROM/);
      none('undefined-variable', 'ARG TAG=3.20\nFROM --platform=$BUILDPLATFORM alpine:${TAG}\nFROM alpine:${TARGETARCH:-x}\n');
    });

    it('InvalidDefaultArgInFrom: with the ARG defaults FROM is empty or not a reference', () => {
      const text = 'ARG TAG\nFROM alpine:${TAG}\n';
      const d = one('undefined-variable', text);
      assert.deepEqual(d.aliases, { buildkit: 'InvalidDefaultArgInFrom' });
      assert.match(d.message, /"alpine:"/);
      assert.deepEqual(one('undefined-variable', 'ARG IMAGE\nFROM ${IMAGE}\n').aliases, { buildkit: 'InvalidDefaultArgInFrom' });
      assert.equal(one('undefined-variable', 'ARG REPO=My/App\nFROM ${REPO}:1\n').aliases.buildkit, 'InvalidDefaultArgInFrom', 'repository names are lowercase');
      none('undefined-variable', 'ARG TAG=3.20\nFROM alpine:${TAG}\nARG B=base\nFROM alpine:1 AS base\n');
      none('undefined-variable', 'ARG BASE=base\nFROM a:1 AS base\nFROM ${BASE}\n');
      none('undefined-variable', 'ARG V\nFROM alpine${V:+:}${V}\n');
      // --build-arg does not change the check (it is about defaults).
      assert.equal(findings('undefined-variable', 'ARG TAG\nFROM alpine:${TAG}\n', { buildArgs: { TAG: '3' } }).length, 1);
    });

    it('UndefinedVar: a global ARG used in a stage without re-declaring it, with a fix', () => {
      const text = 'ARG VERSION=1\nFROM alpine:3.20\nCOPY app-$VERSION.jar /app.jar\n';
      const d = one('undefined-variable', text);
      assert.deepEqual(d.aliases, { buildkit: 'UndefinedVar' });
      assert.equal(covered(text, d), '$VERSION');
      assertFixWorks(text, d, 'ARG VERSION=1\nFROM alpine:3.20\nARG VERSION\nCOPY app-$VERSION.jar /app.jar\n');
    });

    it('UndefinedVar: used before its declaration, typos, and anything on scratch', () => {
      assert.match(one('undefined-variable', 'FROM a:1\nWORKDIR /$DIR\nARG DIR=x\n').message, /before line 3/);
      assert.match(one('undefined-variable', 'FROM a:1\nENV APP_HOME=/app\nWORKDIR $APP_HOEM\n').message, /did you mean \$APP_HOME/);
      one('undefined-variable', 'FROM scratch\nCOPY $SRC /\n');
      one('undefined-variable', 'FROM scratch AS s\nFROM s\nLABEL v=$VERSION\n');
    });

    it('UndefinedVar: silent where the base image may set the variable, and for RUN / CMD / ENTRYPOINT', () => {
      none('undefined-variable', 'FROM node:22\nWORKDIR $NODE_PATH\nENV PATH=$PATH:/x\nRUN echo $HOME $UNDEFINED\nCMD echo $X\n');
      none('undefined-variable', 'FROM a:1\nARG A\nENV B=$A\nCOPY --chown=$A:$A x /y/\n');
      none('undefined-variable', 'FROM a:1\nENV A=1 B=$A\n'); // env-self-reference reports that
      none('undefined-variable', "FROM scratch\nLABEL a='$literal' b=\\$x\n");
    });
  });

  describe('env-self-reference', () => {
    it('flags a reference to a name set in the same ENV, and splits the ENV', () => {
      const text = 'FROM a:1\nENV A=/opt B=${A}/bin\n';
      const d = one('env-self-reference', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3044' });
      assert.equal(covered(text, d), '${A}');
      assertFixWorks(text, d, 'FROM a:1\nENV A=/opt\nENV B=${A}/bin\n');
    });
    it('a name defined before keeps its old value: reported without the hadolint code', () => {
      const d = one('env-self-reference', 'FROM a:1\nENV A=1\nENV A=2 B=$A\n');
      assert.deepEqual(d.aliases, {});
      assert.match(d.message, /old value/);
    });
    it('splits a continued ENV keeping the indentation', () => {
      const text = 'FROM a:1\n  ENV A=1 \\\n      B=$A\nRUN true\n';
      assertFixWorks(text, one('env-self-reference', text), 'FROM a:1\n  ENV A=1\n  ENV B=$A\nRUN true\n');
    });
    it('accepts self references, prefixes of other names and separate ENVs', () => {
      none('env-self-reference', 'FROM a:1\nENV PATH=/x:$PATH A=1\nENV AB=1 C=$ABC\nENV X=1\nENV Y=$X\nENV Z $Z\n');
    });
  });

  describe('onbuild-restrictions', () => {
    it('flags ONBUILD ONBUILD / FROM / MAINTAINER on the trigger keyword', () => {
      for (const trig of ['ONBUILD RUN x', 'FROM alpine', 'MAINTAINER me']) {
        const text = `FROM a:1\nONBUILD ${trig}\n`;
        const d = one('onbuild-restrictions', text);
        assert.equal(covered(text, d), trig.split(' ')[0]);
        assert.deepEqual(d.aliases, { hadolint: 'DL3043' });
      }
      none('onbuild-restrictions', 'FROM a:1\nONBUILD RUN x\nONBUILD COPY . /app\n');
    });
  });

  describe('copy-destination-slash', () => {
    it('flags several sources into a destination without "/", and adds it', () => {
      const text = 'FROM a:1\nCOPY a b /app\n';
      const d = one('copy-destination-slash', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3021', trivy: 'DS-0011' });
      assertFixWorks(text, d, 'FROM a:1\nCOPY a b /app/\n');
      const quoted = 'FROM a:1\nCOPY a b "/my app"\n';
      assertFixWorks(quoted, one('copy-destination-slash', quoted), 'FROM a:1\nCOPY a b "/my app/"\n');
      const json = 'FROM a:1\nADD ["a", "b", "/app"]\n';
      const dj = one('copy-destination-slash', json);
      assert.deepEqual(dj.aliases, {}, 'hadolint and Trivy check COPY only');
      assertFixWorks(json, dj, 'FROM a:1\nADD ["a", "b", "/app/"]\n');
    });
    it('"." is accepted by BuildKit: reported as info', () => {
      const d = one('copy-destination-slash', 'FROM a:1\nWORKDIR /app\nCOPY package.json package-lock.json .\n');
      assert.equal(d.severity, 'info');
    });
    it('accepts one source, a trailing slash, a Windows directory and unknown variables', () => {
      none('copy-destination-slash', 'FROM a:1\nCOPY a /app\nCOPY a b /app/\nCOPY --from=x a b C:\\\\dir\\\\\nARG D\nCOPY a b $D\nENV E=/e/\nCOPY a b $E\n');
    });
  });

  describe('copy-relative-dest', () => {
    it('flags a relative destination before any WORKDIR, with an absolute path as a non-preferred fix', () => {
      const text = 'FROM a:1\nCOPY app.py app/\n';
      const d = one('copy-relative-dest', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3045' });
      assert.equal(d.fixes?.[0].isPreferred, false);
      assertFixWorks(text, d, 'FROM a:1\nCOPY app.py /app/\n');
      assert.equal(one('copy-relative-dest', 'FROM a:1\nCOPY . .\n').fixes, undefined, 'no "/" suggestion for "."');
      assert.deepEqual(one('copy-relative-dest', 'FROM a:1\nADD x.tgz opt/\n').aliases, {}, 'hadolint checks COPY only');
    });
    it('accepts WORKDIR in the stage or inherited, absolute paths and variables', () => {
      none('copy-relative-dest', 'FROM a:1\nWORKDIR /app\nCOPY . .\n');
      none('copy-relative-dest', 'FROM a:1 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n');
      none('copy-relative-dest', 'FROM a:1\nCOPY a /x\nCOPY b C:\\\\x\nARG D\nCOPY c $D\n');
    });
  });

  describe('copy-from-root', () => {
    it('flags COPY --from=<x> / /', () => {
      assert.deepEqual(one('copy-from-root', 'FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n').aliases, { hadolint: 'DL3067' });
      none('copy-from-root', 'FROM a:1 AS b\nFROM c:1\nCOPY --from=b /app /app\nCOPY / /\nCOPY --from=b / /root/\n');
    });
  });

  describe('json-args-recommended', () => {
    it('flags shell-form CMD and ENTRYPOINT and converts simple commands', () => {
      const text = 'FROM a:1\nCMD node server.js --port "8080"\n';
      const d = one('json-args-recommended', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3025', buildkit: 'JSONArgsRecommended' });
      assertFixWorks(text, d, 'FROM a:1\nCMD ["node", "server.js", "--port", "8080"]\n');
      const ep = 'FROM a:1\nENTRYPOINT exec /usr/bin/tini -s\n';
      assertFixWorks(ep, one('json-args-recommended', ep), 'FROM a:1\nENTRYPOINT ["/usr/bin/tini", "-s"]\n');
    });
    it('does not convert commands that need the shell', () => {
      for (const cmd of ['echo $HOME', 'a && b', 'run > log', 'X=1 app', 'echo "a $b"', 'ls *.txt']) {
        assert.equal(one('json-args-recommended', `FROM a:1\nCMD ${cmd}\n`).fixes, undefined, cmd);
      }
    });
    it('does not convert an ENTRYPOINT when the stage has a CMD (JSON ENTRYPOINT would receive it)', () => {
      assert.equal(findings('json-args-recommended', 'FROM a:1\nENTRYPOINT app\nCMD ["--help"]\n')[0].fixes, undefined);
    });
    it('JSON with single quotes is shell form: explained, and fixed', () => {
      const text = "FROM a:1\nCMD ['node', 'app.js']\n";
      const d = one('json-args-recommended', text);
      assert.match(d.message, /not valid JSON/);
      assertFixWorks(text, d, 'FROM a:1\nCMD ["node", "app.js"]\n');
    });
    it('after SHELL the finding keeps only the hadolint code; exec form passes', () => {
      assert.deepEqual(one('json-args-recommended', 'FROM a:1\nSHELL ["/bin/bash", "-c"]\nCMD echo hi\n').aliases, { hadolint: 'DL3025' });
      none('json-args-recommended', 'FROM a:1\nCMD ["node", "app.js"]\nENTRYPOINT ["tini", "--"]\n');
    });
  });

  describe('platform-flag', () => {
    it('flags a constant platform unless the stage name names it', () => {
      const text = 'FROM --platform=linux/amd64 alpine:3.20\n';
      const d = one('platform-flag', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL3029', buildkit: 'FromPlatformFlagConstDisallowed' });
      assert.equal(covered(text, d), 'linux/amd64');
      none('platform-flag', 'FROM --platform=linux/arm64 alpine:3.20 AS build-arm64\nFROM --platform=windows/amd64 x:1 AS windows\n');
      none('platform-flag', 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nARG P=linux/amd64\nFROM --platform=$P alpine:1\n');
    });
    it('flags --platform=$TARGETPLATFORM as redundant and removes it', () => {
      for (const v of ['$TARGETPLATFORM', '${TARGETPLATFORM}']) {
        const text = `FROM --platform=${v} alpine:3.20 AS x\n`;
        const d = one('platform-flag', text);
        assert.deepEqual(d.aliases, { hadolint: 'DL3065', buildkit: 'RedundantTargetPlatform' });
        assertFixWorks(text, d, 'FROM alpine:3.20 AS x\n');
      }
    });
  });

  describe('empty-continuation-line', () => {
    it('flags empty lines inside a continued instruction and removes them', () => {
      const text = 'FROM a:1\nRUN echo a \\\n\n  && echo b \\\n  # note\n\n  && echo c\n';
      const d = one('empty-continuation-line', text);
      assert.deepEqual(d.aliases, { buildkit: 'NoEmptyContinuation' });
      assert.equal(d.range.start.line, 2);
      assertFixWorks(text, d, 'FROM a:1\nRUN echo a \\\n  && echo b \\\n  # note\n  && echo c\n');
    });
    it('ignores heredoc bodies, an escaped escape at the end of a line, and the backtick escape', () => {
      none('empty-continuation-line', 'FROM a:1\nRUN <<EOF\necho a\n\necho b\nEOF\n');
      none('empty-continuation-line', '# escape=`\nFROM a:1\nRUN echo a `\n  b\n');
      one('empty-continuation-line', '# escape=`\nFROM a:1\nRUN echo a `\n\n  b\n');
    });
  });

  describe('missing-healthcheck (off by default)', () => {
    const enabled = on({ 'missing-healthcheck': 'info' });
    it('is silent unless enabled; then flags the target stage only', () => {
      none('missing-healthcheck', 'FROM a:1\nCMD ["x"]\n');
      const text = 'FROM a:1 AS build\nHEALTHCHECK CMD true\nFROM b:1 AS final\nCMD ["x"]\n';
      const d = one('missing-healthcheck', text, enabled);
      assert.deepEqual(d.aliases, { hadolint: 'DL3057', trivy: 'DS-0026' });
      assert.equal(d.range.start.line, 2);
    });
    it('HEALTHCHECK inherited through FROM <stage>, or HEALTHCHECK NONE, counts', () => {
      none('missing-healthcheck', 'FROM a:1 AS base\nHEALTHCHECK CMD true\nFROM base\n', enabled);
      none('missing-healthcheck', 'FROM a:1\nHEALTHCHECK NONE\n', enabled);
    });
    it('a layer naming one code enables only findings with that code', () => {
      assert.equal(findings('missing-healthcheck', 'FROM a:1\n', { layers: on({ 'ds-0026': 'warning' }) })[0]?.severity, 'warning');
      none('missing-healthcheck', 'FROM a:1\n', on({ 'missing-healthcheck': 'off' }));
    });
  });

  describe('maintainer-deprecated', () => {
    it('replaces MAINTAINER with the OCI authors label', () => {
      const text = 'FROM a:1\nMAINTAINER Jane Doe <jane@example.com>\n';
      const d = one('maintainer-deprecated', text);
      assert.deepEqual(d.aliases, { hadolint: 'DL4000', buildkit: 'MaintainerDeprecated', trivy: 'DS-0022' });
      assertFixWorks(text, d, 'FROM a:1\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\n');
    });
    it('escapes quotes, dollars and the escape character in the label value', () => {
      const text = 'FROM a:1\nmaintainer "Bob "B" $x \\ y"\n';
      const fixed = assertFixWorks(text, one('maintainer-deprecated', text));
      assert.equal(fixed, 'FROM a:1\nlabel org.opencontainers.image.authors="Bob \\"B\\" \\$x \\\\ y"\n');
    });
  });

  describe('legacy-key-value', () => {
    it('flags ENV / LABEL key value and rewrites to key=value', () => {
      const cases: Array<[string, string]> = [
        ['ENV PATH /usr/local/bin:$PATH', 'ENV PATH=/usr/local/bin:$PATH'],
        ['ENV GREETING hello world', 'ENV GREETING="hello world"'],
        ['LABEL maintainer "Jane <j@x>"', 'LABEL maintainer="Jane <j@x>"'],
      ];
      for (const [before, after] of cases) {
        const text = `FROM a:1\n${before}\n`;
        const d = one('legacy-key-value', text);
        assert.deepEqual(d.aliases, { buildkit: 'LegacyKeyValueFormat' });
        assertFixWorks(text, d, `FROM a:1\n${after}\n`);
      }
    });
    it('no fix when quoting would change the value', () => {
      assert.equal(one('legacy-key-value', 'FROM a:1\nENV A it is "x y"\n').fixes, undefined);
      assert.equal(one('legacy-key-value', 'FROM a:1\nENV A a\\ b c\n').fixes, undefined);
    });
    it('accepts key=value and ARG', () => {
      none('legacy-key-value', 'FROM a:1\nENV A=1 B="x y"\nLABEL a=b\nARG X\nARG Y=1\n');
    });
  });

  describe('instruction-casing', () => {
    it('flags keywords not in the majority casing (ties go to uppercase) and fixes them', () => {
      const text = 'FROM a:1\nrun true\nCopy a /a\nCMD ["x"]\n';
      const f = findings('instruction-casing', text);
      assert.deepEqual(f.map((d) => covered(text, d)), ['run', 'Copy']);
      assert.deepEqual(f[0].aliases, { buildkit: 'ConsistentInstructionCasing' });
      assertFixWorks(text, f[1], 'FROM a:1\nrun true\nCOPY a /a\nCMD ["x"]\n');
      const lower = 'from a:1\nrun true\nCMD ["x"]\n';
      assertFixWorks(lower, one('instruction-casing', lower), 'from a:1\nrun true\ncmd ["x"]\n');
    });
    it('a global ARG is reported without the BuildKit code; unknown instructions are ignored', () => {
      assert.deepEqual(one('instruction-casing', 'arg V=1\nFROM a:1\nRUN x\n').aliases, {});
      none('instruction-casing', 'FROM a:1\nfoo bar\n');
    });
  });

  describe('label-schema (only when configured)', () => {
    const schema = (labelSchema: Record<string, 'text' | 'url' | 'semver' | 'hash' | 'rfc3339' | 'spdx' | 'email'>, strictLabels?: boolean) => on({}, { labelSchema, strictLabels });
    it('is silent without a schema or strict labels', () => {
      none('label-schema', 'FROM a:1\nLABEL Bad_Key=1\n');
    });
    it('DL3049: a required label missing from a final image (labels inherit through FROM <stage>)', () => {
      const layers = schema({ version: 'semver' });
      const f = findings('label-schema', 'FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n', { layers });
      assert.deepEqual(f.map((d) => [d.range.start.line, d.aliases.hadolint]), [[1, 'DL3049']], 'the build stage feeds another stage');
      none('label-schema', 'FROM a:1 AS base\nLABEL version=1.0.0\nFROM base\n', layers);
    });
    it('DL3051-DL3058: empty values and wrong formats; variables with unknown values are not judged', () => {
      const layers = schema({ version: 'semver', url: 'url', created: 'rfc3339', rev: 'hash', license: 'spdx', contact: 'email', note: 'text' });
      const text = 'FROM a:1\nLABEL version=1.0 url=not-a-url created=2024-13-01T00:00:00Z rev=XYZ license="MIT OR X" contact=nobody note=""\n';
      const codes = findings('label-schema', text, { layers }).map((d) => d.aliases.hadolint).sort();
      assert.deepEqual(codes, ['DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058']);
      const good = 'FROM a:1\nARG V\nLABEL version=$V url=https://example.com/r created=2024-05-01T12:00:00+02:00 rev=0123abc license=Apache-2.0 contact=me@example.com note=x\n';
      none('label-schema', good, layers);
    });
    it('without a schema, a setting for DL3048 turns on just the key check', () => {
      const f = findings('label-schema', 'FROM a:1\nLABEL Bad_Key=2 good.key=1\n', { layers: on({ dl3048: 'warning' }) });
      assert.deepEqual(f.map((d) => `${d.aliases.hadolint}:${d.severity}`), ['DL3048:warning']);
    });
    it('DL3050 with strict labels, DL3048 for invalid keys as a hint', () => {
      const f = findings('label-schema', 'FROM a:1\nLABEL version=1.0.0 extra=1 Bad_Key=2\n', { layers: schema({ version: 'text' }, true) });
      assert.deepEqual(f.map((d) => `${d.aliases.hadolint}:${d.severity}`).sort(), ['DL3048:hint', 'DL3050:info', 'DL3050:info']);
    });
  });

  it('none of these rules throws on the unusual inputs of the model tests', () => {
    const texts = ['', '\n\n', 'FROM', 'EXPOSE', 'ENV', 'LABEL =', 'COPY', 'ADD ["a"', 'FROM a\nONBUILD', 'ARG\nFROM ${', 'FROM a AS\nCOPY --from= / /', 'USER :', 'WORKDIR "', 'EXPOSE "80', 'ENV A="unterminated\nRUN x'];
    for (const text of texts) {
      const res = analyze(text, { layers: on({ 'missing-healthcheck': 'info', 'non-numeric-user': 'info' }, { trustedRegistries: ['x.io'], labelSchema: { a: 'url' }, strictLabels: true }) });
      assert.deepEqual(res.ruleErrors, [], JSON.stringify(text));
    }
  });
});

describe('inline-ignore-pragma (DL1001)', () => {
  const text = '# dockerfile-insight global ignore=root-user\nFROM ubuntu:24.04\n# hadolint ignore=DL3008\nRUN true\n# just a comment\nUSER root\n';

  it('is off by default', () => {
    assert.equal(analyze(text).diagnostics.filter((d) => d.ruleId === 'inline-ignore-pragma').length, 0);
  });

  it('reports every inline ignore comment when turned on; DL1001 only on hadolint comments', () => {
    const on = analyze(text, { layers: [{ source: 'test', rules: { 'inline-ignore-pragma': 'warning' } }] }).diagnostics
      .filter((d) => d.ruleId === 'inline-ignore-pragma');
    assert.deepEqual(on.map((d) => d.range.start.line), [0, 2]);
    assert.deepEqual(on.map((d) => d.aliases.hadolint), [undefined, 'DL1001']);
  });
});
