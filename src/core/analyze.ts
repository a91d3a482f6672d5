/** The analysis entry point shared by the extension, the web extension and the CLI. */
import { buildModel, computeLineStarts, DockerfileModel, ModelOptions, stepAtLine } from './model';
import { RULES } from './registry';
import { docsPath, Rule, RuleContext } from './rule';
import type { Aliases, Diagnostic, SeveritySetting, TextEdit } from './types';
import { ConfigLayer, mergeRuleOptions, resolveSeverity } from './config';
import { codeKeys, isSuppressed, parsePragmas } from './pragmas';
import { t } from './l10n';
import { insertLineBefore } from './rules/util';

/** Texts larger than this are not analysed (the editor gets one clear message instead). */
export const MAX_ANALYSIS_CHARS = 8 * 1024 * 1024;

export interface AnalyzeOptions extends ModelOptions {
  layers?: readonly ConfigLayer[];
  /** Restrict to these rules (tests). */
  rules?: readonly Rule[];
  /** The walked build context (see `RuleContext.context`); rules that need it are silent without it. */
  context?: import('./context').ContextIndex;
}

export interface AnalysisResult {
  model?: DockerfileModel;
  diagnostics: Diagnostic[];
  /** Rules that threw: the analysis continued without them. */
  ruleErrors: Array<{ ruleId: string; error: string }>;
  /** Set when the text was not analysed, with the reason. */
  skipped?: string;
}

export function analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  if (text.length > MAX_ANALYSIS_CHARS) {
    return { diagnostics: [], ruleErrors: [], skipped: `The file is ${(text.length / 1048576).toFixed(1)} MB; Dockerfile Insight analyses files up to ${MAX_ANALYSIS_CHARS / 1048576} MB.` };
  }
  const model = buildModel(text, options);
  return { model, ...runRules(model, options) };
}

export function runRules(model: DockerfileModel, options: AnalyzeOptions = {}): Omit<AnalysisResult, 'model'> {
  const rules = options.rules ?? RULES;
  const layers = options.layers ?? [];
  const ctx: RuleContext = {
    model,
    requiredStages: model.requiredStages.map((i) => model.stages[i]),
    target: model.target >= 0 ? model.stages[model.target] : undefined,
    options: mergeRuleOptions(layers),
    context: options.context,
  };
  const pragmas = parsePragmas(model);
  const diagnostics: Diagnostic[] = [];
  const ruleErrors: AnalysisResult['ruleErrors'] = [];
  for (const rule of rules) {
    // A rule that is off by default runs only when its options or a configuration layer turn it on; its findings
    // then start from 'off' unless the options turned the whole rule on, so a layer naming one code enables
    // exactly the findings that carry that code.
    const offByDefault = rule.defaultEnabled === false && !rule.enabledWhen?.(ctx.options);
    if (offByDefault && (layers.length === 0 || !layersMention(layers, rule))) continue;
    let findings;
    try {
      findings = rule.check(ctx);
    } catch (e) {
      ruleErrors.push({ ruleId: rule.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
      continue;
    }
    for (const f of findings) {
      // BuildKit's `# check=error=true` raises its checks to errors; explicit configuration still wins.
      const base: SeveritySetting = offByDefault ? 'off' : pragmas.checkError && f.aliases.buildkit ? 'error' : f.severity ?? rule.severity;
      const severity = resolveSeverity(layers, f, base);
      if (severity === 'off' || isSuppressed(pragmas, f, model)) continue;
      const aliases: Aliases = {};
      if (f.aliases.hadolint) aliases.hadolint = f.aliases.hadolint;
      if (f.aliases.buildkit) aliases.buildkit = f.aliases.buildkit;
      if (f.aliases.trivy) aliases.trivy = f.aliases.trivy;
      diagnostics.push({ ...f, aliases, severity, category: rule.category, docs: docsPath(rule.id) });
    }
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { diagnostics, ruleErrors };
}

/** Whether any layer gives this rule's id or one of its tool codes a severity other than 'off'. */
function layersMention(layers: readonly ConfigLayer[], rule: Rule): boolean {
  const keys = new Set<string>([rule.id]);
  for (const list of Object.values(rule.aliases)) for (const c of list ?? []) for (const k of codeKeys(c)) keys.add(k);
  return layers.some((l) => Object.entries(l.rules).some(([k, v]) => v !== 'off' && keys.has(k)));
}

/**
 * A fix that suppresses one finding for its instruction: inserts `# dockerfile-insight ignore=<id>` above it,
 * or adds the id to an ignore comment already there.
 */
export function suppressionFix(model: DockerfileModel, ruleId: string, line: number): import('./types').Fix | undefined {
  const step = stepAtLine(model, line);
  if (!step) return undefined;
  const first = step.range.start.line;
  const prev = model.comments.find((c) => c.line === first - 1);
  const m = prev && /^dockerfile-insight\s+ignore\s*=\s*(.*)$/i.exec(prev.text.trim());
  if (prev && m) {
    const ids = m[1].split(',').map((s) => s.trim()).filter(Boolean);
    if (!ids.includes(ruleId)) ids.push(ruleId);
    return {
      title: t('Suppress {0} for this instruction', ruleId),
      edits: [{ range: prev.range, newText: `# dockerfile-insight ignore=${ids.join(',')}` }],
    };
  }
  return {
    title: t('Suppress {0} for this instruction', ruleId),
    edits: [insertLineBefore(model, step, `# dockerfile-insight ignore=${ruleId}`)],
  };
}

/** Applies non-overlapping text edits to a text (used by the CLI's tests and by fix verification). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = computeLineStarts(text);
  const off = (p: { line: number; character: number }) => (p.line < starts.length ? starts[p.line] + p.character : text.length);
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
