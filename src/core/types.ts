/** Core data types. Positions are 0-based (line, character) exactly as in VS Code and LSP. */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export type Category = 'security' | 'cache' | 'size' | 'correctness' | 'style';

/** Codes of the same concept in the tools our users come from. */
export interface Aliases {
  hadolint?: string;
  buildkit?: string;
  trivy?: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix a user most likely wants (VS Code's "preferred" quick fix). */
  isPreferred?: boolean;
}

/** One finding of one rule, before configuration decides its final severity. */
export interface Finding {
  ruleId: string;
  message: string;
  range: Range;
  /** The aliases that apply to *this* finding (a rule can reach further than another tool's rule). */
  aliases: Aliases;
  fixes?: Fix[];
  /** Overrides the rule's default severity for this one finding (before configuration). */
  severity?: Severity;
}

/** A finding after configuration: final severity, category and docs path attached. */
export interface Diagnostic extends Finding {
  severity: Severity;
  category: Category;
  docs: string;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

export function rangeOf(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
