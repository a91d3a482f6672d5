/**
 * Links from the editor to the concept behind what the user is looking at: a "Learn: <concept>" command link in
 * the instruction hover (hover.ts calls addConceptLink), and a "Learn why: <concept>" code action on our
 * diagnostics (root-user → "Root in a container is root on the host", …). Mappings: src/concepts/catalog.ts.
 */
import * as vscode from 'vscode';
import { conceptForInstruction, conceptForRule, normalizeLang } from '../../concepts/catalog';
import { LANGUAGE_ID } from './analysisService';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { OPEN_CONCEPT_COMMAND } from './conceptsView';

/** The kind of the "Learn why" actions: a quick fix sub-kind, so they are listed with the diagnostic's fixes. */
export const LEARN_KIND = vscode.CodeActionKind.QuickFix.append('learn');

function escapeMarkdownText(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/**
 * Appends "Learn: <concept>" for the instruction `keyword` to a hover, as a command link. Only our own command
 * is enabled in the hover (isTrusted with enabledCommands), nothing else.
 */
export function addConceptLink(md: vscode.MarkdownString, keyword: string): void {
  const concept = conceptForInstruction(keyword);
  if (!concept) return;
  const lang = normalizeLang(vscode.env.language);
  const args = encodeURIComponent(JSON.stringify([concept.id]));
  const title = concept.summary[lang].replace(/["\\]/g, '');
  md.appendMarkdown(`\n\n---\n\n[${escapeMarkdownText(vscode.l10n.t('Learn: {0}', concept.title[lang]))}](command:${OPEN_CONCEPT_COMMAND}?${args} "${title}")`);
  md.isTrusted = { enabledCommands: [OPEN_CONCEPT_COMMAND] };
}

function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function registerConceptLinks(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider({ language: LANGUAGE_ID }, {
    provideCodeActions(_doc, _range, ctx) {
      const lang = normalizeLang(vscode.env.language);
      const seen = new Set<string>();
      const actions: vscode.CodeAction[] = [];
      for (const diag of ctx.diagnostics) {
        if (diag.source !== DIAGNOSTIC_SOURCE) continue;
        const ruleId = ruleIdOf(diag);
        const concept = ruleId ? conceptForRule(ruleId) : undefined;
        if (!concept || seen.has(concept.id)) continue;
        seen.add(concept.id);
        const title = vscode.l10n.t('Learn why: {0}', concept.title[lang]);
        const action = new vscode.CodeAction(title, LEARN_KIND);
        action.diagnostics = [diag];
        action.command = { command: OPEN_CONCEPT_COMMAND, title, arguments: [concept.id] };
        actions.push(action);
      }
      return actions;
    },
  }, { providedCodeActionKinds: [LEARN_KIND] }));
}
