/**
 * Rule configuration. Layers apply in order, later ones win: the rule's default severity, then hadolint's
 * `.hadolint.yaml` (see hadolintConfig.ts), then the project file (`.dockerfile-insight.json` or the file named by
 * `--config` / `dockerfileInsight.configFile`), then VS Code settings (`dockerfileInsight.rules`). A layer may also
 * carry rule options (RuleOptions), merged the same way. Inline pragmas (see pragmas.ts) are applied last and can
 * only suppress. A key is a rule id or any tool code (`DL3007`, `StageNameCasing`, `DS-0001`); within one layer a
 * rule id wins over a code.
 */
import { RULES } from './registry';
import type { Finding, Severity, SeveritySetting } from './types';
import { codeKeys } from './pragmas';

export const PROJECT_CONFIG_FILE = '.dockerfile-insight.json';
export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['error', 'warning', 'info', 'hint', 'off'];

export interface ConfigLayer {
  /** Where it came from, for error messages (a path or "settings"). */
  source: string;
  rules: Record<string, SeveritySetting>;
  /** Rule-specific options; a later layer's option replaces an earlier layer's (per option). */
  options?: RuleOptions;
}

/** The value formats of hadolint's `label-schema`. */
export type LabelType = 'text' | 'url' | 'semver' | 'hash' | 'rfc3339' | 'spdx' | 'email';
export const LABEL_TYPES: readonly LabelType[] = ['text', 'url', 'semver', 'hash', 'rfc3339', 'spdx', 'email'];

/** Options read by individual rules (`untrusted-registry`, `label-schema`). */
export interface RuleOptions {
  /** Registries base images may come from; `*` matches any characters. Unset or empty: no check. */
  trustedRegistries?: string[];
  /** Labels every final image must have, and the format of their values. */
  labelSchema?: Record<string, LabelType>;
  /** Report labels that are not in `labelSchema`. */
  strictLabels?: boolean;
}

export interface ProjectConfig {
  rules: Record<string, SeveritySetting>;
  failureThreshold?: Severity | 'none';
  options?: RuleOptions;
}

/** The rule options in effect: each option from the last layer that sets it. */
export function mergeRuleOptions(layers: readonly ConfigLayer[]): RuleOptions {
  const out: RuleOptions = {};
  for (const l of layers) {
    const o = l.options;
    if (!o) continue;
    if (o.trustedRegistries !== undefined) out.trustedRegistries = o.trustedRegistries;
    if (o.labelSchema !== undefined) out.labelSchema = o.labelSchema;
    if (o.strictLabels !== undefined) out.strictLabels = o.strictLabels;
  }
  return out;
}

/** Validates a list of registries (a string is one registry). */
export function validateRegistries(source: string, key: string, raw: unknown, problems: string[]): string[] | undefined {
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((r) => typeof r === 'string' && r.trim() !== '')) {
    problems.push(`${source}: "${key}" must be a registry name or a list of registry names.`);
    return undefined;
  }
  return list.map((r: string) => r.trim());
}

/** Validates a label schema (`{ label: type }`). */
export function validateLabelSchema(source: string, key: string, raw: unknown, problems: string[]): Record<string, LabelType> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${source}: "${key}" must map label names to one of ${LABEL_TYPES.join(', ')}.`);
    return undefined;
  }
  const out: Record<string, LabelType> = {};
  for (const [label, type] of Object.entries(raw as Record<string, unknown>)) {
    const t = typeof type === 'string' ? type.trim().toLowerCase() : '';
    if (!LABEL_TYPES.includes(t as LabelType)) {
      problems.push(`${source}: label "${label}" has type ${JSON.stringify(type)}; use one of ${LABEL_TYPES.join(', ')}.`);
      continue;
    }
    out[label] = t as LabelType;
  }
  return out;
}

export class ConfigError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
  }
}

const KNOWN_KEYS = (() => {
  const keys = new Set<string>();
  for (const r of RULES) {
    keys.add(r.id);
    for (const list of Object.values(r.aliases)) for (const c of list ?? []) for (const k of codeKeys(c)) keys.add(k);
  }
  return keys;
})();

/**
 * Checks a `rules` object and returns it with keys lower-cased (codes normalised). Unknown keys and bad values
 * are reported as problems rather than thrown, so one typo does not disable the rest.
 */
export function validateRules(source: string, raw: unknown): { rules: Record<string, SeveritySetting>; problems: string[] } {
  const problems: string[] = [];
  const rules: Record<string, SeveritySetting> = {};
  if (raw === undefined || raw === null) return { rules, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${source}: "rules" must be an object mapping rule ids to one of ${SEVERITY_SETTINGS.join(', ')}.`);
    return { rules, problems };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const k = key.trim().toLowerCase();
    if (!KNOWN_KEYS.has(k) && !codeKeys(k).some((c) => KNOWN_KEYS.has(c))) {
      problems.push(`${source}: unknown rule "${key}".`);
      continue;
    }
    if (typeof value !== 'string' || !SEVERITY_SETTINGS.includes(value.toLowerCase() as SeveritySetting)) {
      problems.push(`${source}: rule "${key}" has severity ${JSON.stringify(value)}; use one of ${SEVERITY_SETTINGS.join(', ')}.`);
      continue;
    }
    rules[codeKeys(k)[codeKeys(k).length - 1]] = value.toLowerCase() as SeveritySetting;
  }
  return { rules, problems };
}

const PROJECT_KEYS = ['rules', 'failureThreshold', 'trustedRegistries', 'labelSchema', 'strictLabels', '$schema'];

/** Parses a project config file's text. Throws ConfigError for text that is not a JSON object. */
export function parseProjectConfig(source: string, text: string): { config: ProjectConfig; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(source, `not valid JSON (${(e as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(source, 'must contain a JSON object.');
  const obj = json as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(obj)) {
    if (!PROJECT_KEYS.includes(k)) problems.push(`${source}: unknown key "${k}".`);
  }
  const { rules, problems: rp } = validateRules(source, obj.rules);
  problems.push(...rp);
  const config: ProjectConfig = { rules };
  const options: RuleOptions = {};
  if (obj.trustedRegistries !== undefined) options.trustedRegistries = validateRegistries(source, 'trustedRegistries', obj.trustedRegistries, problems);
  if (obj.labelSchema !== undefined) options.labelSchema = validateLabelSchema(source, 'labelSchema', obj.labelSchema, problems);
  if (obj.strictLabels !== undefined) {
    if (typeof obj.strictLabels === 'boolean') options.strictLabels = obj.strictLabels;
    else problems.push(`${source}: "strictLabels" must be true or false.`);
  }
  if (Object.values(options).some((v) => v !== undefined)) config.options = options;
  if (obj.failureThreshold !== undefined) {
    const ft = String(obj.failureThreshold).toLowerCase();
    if (['error', 'warning', 'info', 'hint', 'none'].includes(ft)) config.failureThreshold = ft as Severity | 'none';
    else problems.push(`${source}: failureThreshold ${JSON.stringify(obj.failureThreshold)} must be error, warning, info, hint or none.`);
  }
  return { config, problems };
}

/** Tool codes are looked up in this fixed order, so a layer naming two codes of one finding is deterministic. */
const TOOL_ORDER = ['hadolint', 'buildkit', 'trivy'] as const;

/**
 * The configured severity of a finding, or 'off'. `base` is the severity before configuration (the rule's
 * default, a per-finding override, or `error` from BuildKit's `# check=error=true`).
 */
export function resolveSeverity(layers: readonly ConfigLayer[], f: Finding, base: SeveritySetting): SeveritySetting {
  let result: SeveritySetting = base;
  for (const layer of layers) {
    const byId = layer.rules[f.ruleId];
    if (byId) {
      result = byId;
      continue;
    }
    for (const tool of TOOL_ORDER) {
      const code = f.aliases[tool];
      if (!code) continue;
      const keys = codeKeys(code);
      const hit = layer.rules[keys[keys.length - 1]] ?? layer.rules[keys[0]];
      if (hit) {
        result = hit;
        break;
      }
    }
  }
  return result;
}
