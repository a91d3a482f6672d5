import type { Rule } from '../rule';
import type { DockerfileModel, Step } from '../model';
import type { Finding, Range } from '../types';
import { t } from '../l10n';
import { parseRunScript, ShellCommand, ShellWord } from '../shell';
import { effectiveProgram, readOptions, runSteps } from './runScripts';
import { dequote, keyValueArgs } from './words';
import { Needles } from './util';

type Kind = 'tls' | 'signature';
interface Hit {
  kind: Kind;
  /** What was written, for the message: `curl -k`, `NODE_TLS_REJECT_UNAUTHORIZED=0`. */
  what: string;
  range: Range;
}

/**
 * Environment variables that turn verification off, and the values that do it (undefined: any value). Maps here
 * and below, not object literals: a name such as `constructor` must not find Object.prototype's members.
 */
const ENV_SWITCHES = new Map<string, { kind: Kind; off?: (v: string) => boolean }>([
  ['NODE_TLS_REJECT_UNAUTHORIZED', { kind: 'tls', off: (v) => v === '0' }],
  ['PYTHONHTTPSVERIFY', { kind: 'tls', off: (v) => v === '0' }],
  ['GIT_SSL_NO_VERIFY', { kind: 'tls' }], // git: set to any value
  ['NPM_CONFIG_STRICT_SSL', { kind: 'tls', off: (v) => /^(false|0|no)$/i.test(v) }],
  ['PIP_TRUSTED_HOST', { kind: 'tls', off: (v) => v.trim() !== '' }],
]);

const ENV_SWITCH_NAMES = new Needles([...ENV_SWITCHES.keys()], true);

function envSwitch(name: string, value: string): Kind | undefined {
  const s = ENV_SWITCHES.get(name) ?? (name.toUpperCase() === 'NPM_CONFIG_STRICT_SSL' ? ENV_SWITCHES.get('NPM_CONFIG_STRICT_SSL') : undefined);
  if (!s) return undefined;
  return !s.off || s.off(value) ? s.kind : undefined;
}

/** Configuration text that turns checks off, wherever it is written (an option value, an `echo ... >> file`). */
const CONFIG_TEXT: Array<{ re: RegExp; kind: Kind }> = [
  { re: /(?:^|[\s.;=])sslverify\s*=\s*(?:0|false|no)\b/i, kind: 'tls' },
  { re: /check_certificate\s*=\s*(?:off|0|no)\b/i, kind: 'tls' },
  { re: /(?:^|[\s;])strict-ssl\s*=\s*false\b/i, kind: 'tls' },
  { re: /Verify-(?:Peer|Host)\s*=?\s*"?(?:false|0|no)\b/i, kind: 'tls' },
  { re: /\[[^\]]*\btrusted=yes\b[^\]]*\]/, kind: 'signature' },
  { re: /(?:^|[^_a-z])gpgcheck\s*=\s*(?:0|false|no)\b/i, kind: 'signature' },
  { re: /Allow(?:Unauthenticated|InsecureRepositories|DowngradeToInsecureRepositories)\s*=?\s*"?(?:1|true|yes)\b/i, kind: 'signature' },
];

/** Options that turn checks off for any program that has them (names are specific enough). */
const ANY_PROGRAM_OPTIONS = new Map<string, Kind>([
  ['trusted-host', 'tls'], // pip
  ['allow-insecure-host', 'tls'], // uv
  ['allow-unauthenticated', 'signature'], // apt-get
  ['force-yes', 'signature'], // apt-get
  ['allow-insecure-repositories', 'signature'], // apt
  ['allow-untrusted', 'signature'], // apk
  ['nogpgcheck', 'signature'], // yum, dnf, microdnf, tdnf
  ['no-gpg-checks', 'signature'], // zypper
]);
const RPM_OPTIONS = new Set(['nosignature', 'nodigest', 'nofiledigest', 'noverify']);
const CURL_SHORT_VALUE = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';
const CURL_INSECURE = new Set(['insecure', 'proxy-insecure', 'doh-insecure']);

/** Checked case-insensitively against a RUN's text. */
const NEEDLES = new Needles(
  [
    'curl', 'wget', 'trusted', 'insecure', 'allow-unauthenticated', 'force-yes', 'allow-untrusted', 'nosignature',
    'nodigest', 'nofiledigest', 'noverify', 'nogpgcheck', 'no-gpg-checks', 'sslverify', 'strict-ssl', 'strictssl',
    'node_tls', 'pythonhttpsverify', 'git_ssl_no_verify', 'strict_ssl', 'trusted_host', 'gpgcheck', 'check_certificate',
    'verify-peer', 'verify-host', 'allowunauthenticated', 'allowinsecure', 'allowdowngrade',
  ],
  true,
);

/** Every CONFIG_TEXT pattern contains one of these (lower-cased): a word without any cannot match. */
const CONFIG_NEEDLES = new Needles([
  'sslverify', 'check_certificate', 'strict-ssl', 'verify-peer', 'verify-host', 'trusted=yes', 'gpgcheck',
  'allowunauthenticated', 'allowinsecurerepositories', 'allowdowngradetoinsecurerepositories',
]);

/** `lower` is `value` lower-cased (a cheap test before the regular expressions). */
function scanText(value: string, lower: string): Kind | undefined {
  if (!CONFIG_NEEDLES.foundIn(lower)) return undefined;
  for (const c of CONFIG_TEXT) if (c.re.test(value)) return c.kind;
  return undefined;
}

function commandHits(cmd: ShellCommand): Hit[] {
  const hits: Hit[] = [];
  const hit = (kind: Kind, what: string, w: ShellWord) => hits.push({ kind, what, range: w.range });
  for (const a of cmd.assignments) {
    const kind = envSwitch(a.name, a.valueText);
    if (kind) hits.push({ kind, what: `${a.name}=${a.valueText}`, range: a.range });
  }
  if (!cmd.name) return hits;
  const { program, index } = effectiveProgram(cmd);
  // `env NAME=value cmd`
  if (cmd.program === 'env') {
    for (const w of cmd.args.slice(0, index < 0 ? cmd.args.length : index)) {
      const eq = w.value.indexOf('=');
      if (eq > 0) {
        const kind = envSwitch(w.value.slice(0, eq), w.value.slice(eq + 1));
        if (kind) hit(kind, w.value, w);
      }
    }
  }
  const args = index < 0 ? cmd.args : cmd.args.slice(index + 1);
  const words = cmd.args;
  const flagged = new Set<ShellWord>();
  const mark = (kind: Kind, what: string, w: ShellWord) => {
    if (flagged.has(w)) return;
    flagged.add(w);
    hit(kind, what, w);
  };
  if (program === 'curl') {
    const sub = { ...cmd, args };
    for (const o of readOptions(sub, { shortWithValue: CURL_SHORT_VALUE }).options) {
      if (o.long ? CURL_INSECURE.has(o.name) : o.name === 'k') mark('tls', `curl ${o.word.value}`, o.word);
    }
  }
  if (program === 'wget') {
    for (const w of args) if (w.value === '--no-check-certificate') mark('tls', 'wget --no-check-certificate', w);
  }
  if (program === 'rpm') {
    for (const w of args) if (w.value.startsWith('--') && RPM_OPTIONS.has(w.value.slice(2))) mark('signature', `rpm ${w.value}`, w);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (v.startsWith('--')) {
      const name = v.slice(2).split('=')[0];
      const kind = ANY_PROGRAM_OPTIONS.get(name);
      // `apk add --allow-untrusted /tmp/pkgs/*.apk`: packages built by this Dockerfile, not fetched from a mirror.
      const localPackages = name === 'allow-untrusted' && words.some((x) => /^\.{0,2}\/.*\.apk$/.test(x.value));
      if (kind && !localPackages) mark(kind, `${program || cmd.program} --${name}`, w);
      if (name === 'strict-ssl' && (/=(false|0|no)$/i.test(v) || /^(false|0|no)$/i.test(words[i + 1]?.value ?? ''))) mark('tls', `${program} ${v}`, w);
      if (name === 'no-strict-ssl') mark('tls', `${program} ${v}`, w);
    }
    // `npm config set strict-ssl false`, `yarn config set enableStrictSsl false`, `git config http.sslVerify false`,
    // `pip config set global.trusted-host host`
    const lower = v.toLowerCase();
    const next = words[i + 1]?.value ?? '';
    if ((lower === 'strict-ssl' || lower === 'strictssl' || lower === 'enablestrictssl') && /^(false|0|no)$/i.test(next)) mark('tls', `${program} config ${v} ${next}`, w);
    if (lower.endsWith('sslverify') && /^(?:.*\.)?sslverify$/.test(lower) && /^(false|0|no)$/i.test(next)) mark('tls', `${program} config ${v} ${next}`, w);
    if (lower.endsWith('trusted-host') && /(?:^|\.)trusted-host$/.test(lower) && program.startsWith('pip') && next) mark('tls', `${program} config ${v}`, w);
    const kind = scanText(v, lower);
    // `deb [trusted=yes] file:///tmp/repo ./`: a local repository this build made itself.
    const localRepo = kind === 'signature' && /\b(?:file|copy):\//.test(v);
    if (kind && !localRepo) mark(kind, v.length > 60 ? `${v.slice(0, 57)}...` : v, w);
  }
  return hits;
}

/** ENV / ARG instructions that set one of the switches. */
function declarationHits(model: DockerfileModel, step: Step): Hit[] {
  const hits: Hit[] = [];
  for (const p of keyValueArgs(model, step).pairs) {
    if (!p.hasValue && step.keyword === 'ARG') continue;
    const value = dequote(p.rawValue, model.escapeChar);
    const kind = envSwitch(p.key, value);
    if (kind) hits.push({ kind, what: `${step.keyword} ${p.key}=${value}`, range: p.word.range });
  }
  return hits;
}

export const tlsVerificationDisabled: Rule = {
  id: 'tls-verification-disabled',
  category: 'security',
  severity: 'warning',
  aliases: {},
  title: 'TLS certificate or package signature checks turned off (curl -k, wget --no-check-certificate, pip --trusted-host, apt --allow-unauthenticated, NODE_TLS_REJECT_UNAUTHORIZED=0, ...)',
  fixable: false,
  check({ model }) {
    const hits: Hit[] = [];
    for (const step of model.steps) {
      const s = step.trigger ?? step;
      if (s.keyword !== 'ENV' && s.keyword !== 'ARG') continue;
      if (!ENV_SWITCH_NAMES.foundIn(s.argsText)) continue;
      hits.push(...declarationHits(model, s));
    }
    for (const step of runSteps(model)) {
      if (!NEEDLES.foundIn(step.argsText)) continue;
      const script = parseRunScript(model, step);
      if (script.skipped) continue;
      for (const cmd of script.commands) hits.push(...commandHits(cmd));
    }
    return hits.map((h): Finding => ({
      ruleId: 'tls-verification-disabled',
      message: h.kind === 'tls'
        ? t('"{0}" turns off TLS certificate checks: anyone on the network path can then serve this build their own files. Install the CA certificate the server needs (ca-certificates, or COPY it and run update-ca-certificates) instead.', h.what)
        : t('"{0}" installs packages without checking their signatures: a tampered mirror or a man-in-the-middle can then put anything into the image. Import the repository\'s signing key instead.', h.what),
      range: h.range,
      aliases: {},
    }));
  },
};
