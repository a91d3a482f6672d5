/**
 * hadolint's configuration file (`.hadolint.yaml` / `.hadolint.yml`) as one more configuration layer, below our
 * own project file and settings: `ignored` rules, `override` severities, `trustedRegistries`, `label-schema`,
 * `strict-labels` and `failure-threshold`. Other hadolint keys (output format, colours, `no-fail`, ...) are
 * accepted and ignored, and so are codes that no rule of ours carries (ShellCheck's `SC…`, hadolint rules we do
 * not implement): the file is shared with hadolint, so they are not mistakes.
 */
import { load } from 'js-yaml';
import { ConfigError, ConfigLayer, RuleOptions, validateLabelSchema, validateRegistries } from './config';
import { RULES } from './registry';
import { codeKeys } from './pragmas';
import type { Severity, SeveritySetting } from './types';

/** The names hadolint looks for, in its order of preference. */
export const HADOLINT_CONFIG_FILES = ['.hadolint.yaml', '.hadolint.yml'] as const;

/** Larger files are refused: a hadolint configuration is a few lines. */
const MAX_CONFIG_CHARS = 1024 * 1024;

export interface HadolintConfig {
  /** The layer to put *before* our project file and settings (they win). */
  layer: ConfigLayer;
  failureThreshold?: Severity | 'none';
  /** Codes the file names that no rule of ours carries (ignored; listed for the curious). */
  unknownCodes: string[];
}

/** hadolint's severity names → ours. `style` is the lowest visible level, which VS Code calls a hint. */
const OVERRIDE_LEVELS: ReadonlyArray<[string, SeveritySetting]> = [['style', 'hint'], ['info', 'info'], ['warning', 'warning'], ['error', 'error']];
const THRESHOLDS: Record<string, Severity | 'none'> = { error: 'error', warning: 'warning', info: 'info', style: 'hint', ignore: 'hint', none: 'none' };

const KNOWN_CODES = (() => {
  const keys = new Set<string>();
  for (const r of RULES) {
    keys.add(r.id);
    for (const list of Object.values(r.aliases)) for (const c of list ?? []) for (const k of codeKeys(c)) keys.add(k);
  }
  return keys;
})();

function codeList(source: string, key: string, raw: unknown, problems: string[]): string[] {
  if (raw === null || raw === undefined) return [];
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((c) => typeof c === 'string')) {
    problems.push(`${source}: "${key}" must be a list of rule codes.`);
    return [];
  }
  return (list as string[]).map((c) => c.trim()).filter(Boolean);
}

/** True for text with nothing but blank lines, comments and document markers (js-yaml refuses empty sources). */
function isEmptyYaml(text: string): boolean {
  return text.split(/\r\n|\r|\n/).every((l) => /^\s*(#.*)?$/.test(l) || /^(---|\.\.\.)\s*$/.test(l));
}

/**
 * Parses a hadolint configuration file. Throws ConfigError when the text is not YAML or not a mapping; returns
 * problems for bad values of the keys we read (the valid entries still apply).
 */
export function parseHadolintConfig(source: string, text: string): { config: HadolintConfig; problems: string[] } {
  const problems: string[] = [];
  const empty = (): { config: HadolintConfig; problems: string[] } => ({ config: { layer: { source, rules: {} }, unknownCodes: [] }, problems });
  const body = text.replace(/^\uFEFF/, '');
  if (body.length > MAX_CONFIG_CHARS) throw new ConfigError(source, `is ${body.length} characters long; a hadolint configuration should be a few lines.`);
  if (isEmptyYaml(body)) return empty();
  let doc: unknown;
  try {
    doc = load(body, { filename: source, maxAliases: 100 });
  } catch (e) {
    throw new ConfigError(source, `not valid YAML (${(e as Error).message.split('\n')[0]}).`);
  }
  if (doc === null || doc === undefined) return empty();
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(source, 'must contain a YAML mapping (keys such as ignored, override, trustedRegistries).');
  const obj = doc as Record<string, unknown>;

  const rules: Record<string, SeveritySetting> = {};
  const unknownCodes: string[] = [];
  const set = (code: string, severity: SeveritySetting) => {
    const keys = codeKeys(code.toLowerCase());
    const key = keys[keys.length - 1];
    if (!KNOWN_CODES.has(key) && !keys.some((k) => KNOWN_CODES.has(k))) {
      if (!unknownCodes.includes(code)) unknownCodes.push(code);
      return;
    }
    rules[key] = severity;
  };

  const override = obj.override;
  if (override !== undefined && override !== null) {
    if (typeof override !== 'object' || Array.isArray(override)) {
      problems.push(`${source}: "override" must map error, warning, info or style to lists of rule codes.`);
    } else {
      const o = override as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!OVERRIDE_LEVELS.some(([name]) => name === k)) problems.push(`${source}: "override" has an unknown level "${k}"; use error, warning, info or style.`);
      }
      // Lowest first, so a code listed under two levels gets the more severe one.
      for (const [name, severity] of OVERRIDE_LEVELS) for (const c of codeList(source, `override.${name}`, o[name], problems)) set(c, severity);
    }
  }
  // hadolint drops ignored rules whatever their override says.
  for (const c of codeList(source, 'ignored', obj.ignored, problems)) set(c, 'off');

  const options: RuleOptions = {};
  const trusted = obj.trustedRegistries !== undefined ? 'trustedRegistries' : obj['trusted-registries'] !== undefined ? 'trusted-registries' : undefined;
  if (trusted && obj[trusted] !== null) options.trustedRegistries = validateRegistries(source, trusted, obj[trusted], problems);
  if (obj['label-schema'] !== undefined && obj['label-schema'] !== null) options.labelSchema = validateLabelSchema(source, 'label-schema', obj['label-schema'], problems);
  if (obj['strict-labels'] !== undefined && obj['strict-labels'] !== null) {
    if (typeof obj['strict-labels'] === 'boolean') options.strictLabels = obj['strict-labels'];
    else problems.push(`${source}: "strict-labels" must be true or false.`);
  }

  const config: HadolintConfig = { layer: { source, rules }, unknownCodes };
  if (Object.values(options).some((v) => v !== undefined)) config.layer.options = options;
  const ft = obj['failure-threshold'];
  if (ft !== undefined && ft !== null) {
    const mapped = typeof ft === 'string' ? THRESHOLDS[ft.trim().toLowerCase()] : undefined;
    if (mapped) config.failureThreshold = mapped;
    else problems.push(`${source}: "failure-threshold" ${JSON.stringify(ft)} must be error, warning, info, style, ignore or none.`);
  }
  return { config, problems };
}
