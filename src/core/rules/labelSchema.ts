import type { Rule } from '../rule';
import type { Aliases, Finding, Range, Severity } from '../types';
import type { LabelType } from '../config';
import type { Stage } from '../model';
import { t } from '../l10n';
import { expand } from '../variables';
import { fromHeadRange } from './util';
import { dequote, keyValueArgs } from './words';

/** hadolint DL3048: lower-case alphanumerics, dots and dashes; starts with a letter, ends alphanumeric. */
export function labelKeyProblem(key: string): string | undefined {
  if (!/^[a-z]/.test(key)) return t('it must start with a lowercase letter');
  if (!/[a-z0-9]$/.test(key)) return t('it must end with a lowercase letter or a digit');
  if (/[^a-z0-9.-]/.test(key)) return t('only lowercase letters, digits, "." and "-" are allowed');
  if (/\.\.|--/.test(key)) return t('"." and "-" must not repeat');
  if (/^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(key)) return t('the com.docker., io.docker. and org.dockerproject. namespaces are reserved for Docker');
  return undefined;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const EMAIL = new RegExp(`^(?:${ATEXT}(?:\\.${ATEXT})*|"(?:[^"\\\\]|\\\\.)*")@(?:${ATEXT}(?:\\.${ATEXT})*|\\[[^\\[\\]\\\\]*\\])$`);

function isRfc3339(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/.exec(v);
  if (!m) return false;
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  const offH = m[8] !== undefined ? Number(m[8]) : 0;
  const offM = m[9] !== undefined ? Number(m[9]) : 0;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second <= 60 && offH < 24 && offM < 60;
}

/** Whether a value has the format a schema type asks for. */
export function labelValueValid(type: LabelType, v: string): boolean {
  switch (type) {
    case 'text': return true;
    case 'url': return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(v) && !/%(?![0-9A-Fa-f]{2})/.test(v);
    case 'rfc3339': return isRfc3339(v);
    case 'semver': return SEMVER.test(v);
    case 'hash': return /^[0-9a-f]{7}$|^[0-9a-f]{40}$/.test(v);
    case 'spdx': return /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(v);
    case 'email': return EMAIL.test(v);
  }
}

const TYPE_CODES: Record<Exclude<LabelType, 'text'>, string> = { url: 'DL3052', rfc3339: 'DL3053', spdx: 'DL3054', hash: 'DL3055', semver: 'DL3056', email: 'DL3058' };

function typeMessage(type: LabelType, label: string, value: string): string {
  switch (type) {
    case 'url': return t('Label "{0}" is "{1}", which is not a valid URL (RFC 3986, e.g. https://example.com/repo).', label, value);
    case 'rfc3339': return t('Label "{0}" is "{1}", which is not an RFC 3339 time (e.g. 2024-05-01T12:00:00Z).', label, value);
    case 'semver': return t('Label "{0}" is "{1}", which is not a semantic version (e.g. 1.4.2).', label, value);
    case 'hash': return t('Label "{0}" is "{1}", which is not a Git commit hash (7 or 40 lowercase hexadecimal digits).', label, value);
    case 'spdx': return t('Label "{0}" is "{1}", which is not an SPDX license identifier (e.g. MIT, Apache-2.0).', label, value);
    case 'email': return t('Label "{0}" is "{1}", which is not an email address.', label, value);
    default: return '';
  }
}

export const labelSchema: Rule = {
  id: 'label-schema',
  category: 'style',
  severity: 'info',
  aliases: { hadolint: ['DL3048', 'DL3049', 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'] },
  title: 'LABEL keys and values against the configured label schema: required labels, formats, extra labels (only when configured)',
  fixable: false,
  defaultEnabled: false,
  enabledWhen: (o) => (o.labelSchema !== undefined && Object.keys(o.labelSchema).length > 0) || o.strictLabels === true,
  check({ model, options }) {
    const out: Finding[] = [];
    const schema = options.labelSchema ?? {};
    const push = (message: string, range: Range, hadolint: string, severity: Severity) => {
      const aliases: Aliases = { hadolint };
      out.push({ ruleId: 'label-schema', message, range, aliases, severity });
    };
    const labelsOf = new Map<number, Set<string>>();
    for (const stage of model.stages) {
      const keys = new Set<string>();
      labelsOf.set(stage.index, keys);
      for (const step of stage.steps) {
        if (step.keyword !== 'LABEL') continue;
        for (const p of keyValueArgs(model, step).pairs) {
          keys.add(p.key);
          const problem = labelKeyProblem(p.key);
          if (problem) push(t('Label key "{0}" is not valid: {1}.', p.key, problem), p.keyRange, 'DL3048', 'hint');
          const type = schema[p.key];
          if (type === undefined) {
            if (options.strictLabels) push(t('Label "{0}" is not in the label schema, and strict labels are on.', p.key), p.keyRange, 'DL3050', 'info');
            continue;
          }
          const ex = expand(p.rawValue, step.scope, model.escapeChar);
          if (ex.unresolved.length) continue;
          const value = dequote(ex.value, '\u0000');
          const range = p.valueRange ?? p.keyRange;
          if (value === '') {
            push(t('Label "{0}" is empty.', p.key), range, 'DL3051', 'warning');
            continue;
          }
          if (type !== 'text' && !labelValueValid(type, value)) push(typeMessage(type, p.key, value), range, TYPE_CODES[type], 'warning');
        }
      }
    }
    // Required labels: checked on the images the file produces (stages no other stage builds on or copies from);
    // labels are inherited through FROM <stage>.
    const required = Object.keys(schema);
    if (required.length && !model.fragment) {
      const used = new Set<number>();
      for (const s of model.stages) for (const e of s.edges) if (e.stage !== undefined) used.add(e.stage);
      for (const stage of model.stages) {
        if (used.has(stage.index)) continue;
        const have = new Set<string>();
        for (let s: Stage | undefined = stage; s; s = s.baseKind === 'stage' && s.baseStage !== undefined ? model.stages[s.baseStage] : undefined) {
          for (const k of labelsOf.get(s.index) ?? []) have.add(k);
        }
        for (const label of required) {
          if (!have.has(label)) push(t('Label "{0}" is missing from the image this stage builds (the label schema requires it).', label), fromHeadRange(stage), 'DL3049', 'info');
        }
      }
    }
    return out;
  },
};
