/** The rule framework: what a rule declares and what it gets to check. */
import type { Category, Finding, Severity } from './types';

/** Every code of each tool that a rule corresponds to. */
export interface AliasList {
  hadolint?: string[];
  buildkit?: string[];
  trivy?: string[];
}
import type { DockerfileModel, Stage } from './model';
import type { RuleOptions } from './config';
import type { ContextIndex } from './context';

export interface RuleContext {
  model: DockerfileModel;
  /** Stages whose content ends up in (or feeds) the target image. */
  requiredStages: Stage[];
  /** The target stage, undefined when the text has no stage. */
  target?: Stage;
  /** Rule-specific options from the configuration layers (trusted registries, label schema); `{}` when none. */
  options: RuleOptions;
  /**
   * The build context when the caller walked it (CLI `lint` on a file, the editor once its cached walk is ready):
   * the entries after the ignore file, the ignore file's path and matcher. Undefined otherwise; rules that read
   * it report nothing then.
   */
  context?: ContextIndex;
}

export interface Rule {
  /** Stable kebab-case id; also the name of the docs page `docs/rules/<id>.md`. */
  id: string;
  category: Category;
  severity: Severity;
  /** Every tool code this rule corresponds to; each finding carries only the ones matching its meaning. */
  aliases: AliasList;
  /** A one-line summary for rule lists (English; the README and `rules` command show it). */
  title: string;
  /** True when at least some findings carry a quick fix. */
  fixable: boolean;
  /**
   * False for a rule that is off unless configuration turns it on: a layer giving its id or one of its codes a
   * severity, or `enabledWhen` returning true for the configured options. Absent means on.
   */
  defaultEnabled?: boolean;
  /** For a rule off by default: whether the configured rule options turn it on (e.g. a label schema is set). */
  enabledWhen?(options: RuleOptions): boolean;
  check(ctx: RuleContext): Finding[];
}

export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

