/**
 * "Dockerfile Insight: What Rebuilds If I Change…": pick context files, see which steps of the Dockerfile BuildKit
 * would execute again; and the optional hint when a context file is saved, naming the first step of each
 * Dockerfile the change invalidates.
 */
import * as vscode from 'vscode';
import { buildModel, inContext, Prediction, predictionSummary, whatIf } from '../../core';
import { isDockerfileDocument, SECTION } from './analysisService';
import type { LayerService } from './layerService';

export const WHAT_REBUILDS_COMMAND = 'dockerfileInsight.whatRebuilds';
/** Internal (not in the palette): the last on-save hint, for tests. */
export const LAST_HINT_COMMAND = 'dockerfileInsight.lastRebuildHint';
export const HINT_SETTING = 'cache.hintOnSave';

export interface RebuildAnswer {
  dockerfile: string;
  context: string;
  /** Context-relative paths that are in the context (others cannot change the build). */
  files: string[];
  prediction: Prediction;
}

interface CommandArgs {
  /** Dockerfile URI (string or Uri); default: the active editor's. */
  dockerfile?: string | vscode.Uri;
  /** Changed files (URIs); when given, no file picker and no quick pick is shown. */
  files?: Array<string | vscode.Uri>;
  buildArgs?: Record<string, string | undefined>;
  baseChanged?: boolean;
}

const toUri = (u: string | vscode.Uri) => (typeof u === 'string' ? vscode.Uri.parse(u) : u);

/** Answers for one Dockerfile: changed files outside its context (or excluded) change nothing. */
export async function answerFor(layers: LayerService, dockerfile: vscode.Uri, files: vscode.Uri[], extra: { buildArgs?: Record<string, string | undefined>; baseChanged?: boolean } = {}): Promise<RebuildAnswer | undefined> {
  const loaded = await layers.model(dockerfile);
  if (!loaded) return undefined;
  const ctx = await layers.contextFor(dockerfile);
  const ignore = await layers.ignore(ctx);
  const rel: string[] = [];
  const dirs: string[] = [];
  for (const f of files) {
    if (f.path !== ctx.dir && !f.path.startsWith(ctx.dir === '/' ? '/' : ctx.dir + '/')) continue;
    const r = f.path === ctx.dir ? '.' : f.path.slice(ctx.dir === '/' ? 1 : ctx.dir.length + 1);
    const st = await ctx.fs.stat(f.path);
    if (st?.type === 'directory') dirs.push(r);
    else if (!inContext(ignore, r)) continue;
    rel.push(r);
  }
  const prediction = whatIf((buildArgs) => (Object.keys(buildArgs).length ? buildModel(loaded.text, { buildArgs }) : loaded.model), {
    files: rel, directories: dirs, buildArgs: extra.buildArgs, baseChanged: extra.baseChanged,
  }, { ignore });
  return { dockerfile: dockerfile.toString(), context: ctx.dir, files: rel, prediction };
}

export function registerWhatRebuilds(context: vscode.ExtensionContext, layers: LayerService): void {
  let lastHint: { file: string; message: string; answers: RebuildAnswer[] } | undefined;

  const command = async (arg?: CommandArgs | vscode.Uri): Promise<RebuildAnswer | undefined> => {
    const args: CommandArgs = arg instanceof vscode.Uri ? { dockerfile: arg } : arg ?? {};
    let dockerfile = args.dockerfile ? toUri(args.dockerfile) : undefined;
    if (!dockerfile) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !isDockerfileDocument(doc)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile first: the question is which of its steps rebuild.'));
        return undefined;
      }
      dockerfile = doc.uri;
    }
    const interactive = !args.files;
    let files = (args.files ?? []).map(toUri);
    if (interactive) {
      const ctx = await layers.contextFor(dockerfile);
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true, canSelectFiles: true, canSelectFolders: true,
        defaultUri: dockerfile.with({ path: ctx.dir }),
        openLabel: vscode.l10n.t('What rebuilds if these change?'),
        title: vscode.l10n.t('Pick the files (or folders) of the build context that change'),
      });
      if (!picked?.length) return undefined;
      files = picked;
    }
    const answer = await answerFor(layers, dockerfile, files, { buildArgs: args.buildArgs, baseChanged: args.baseChanged });
    if (!answer || !interactive) return answer;
    const p = answer.prediction;
    const doc = await vscode.workspace.openTextDocument(dockerfile);
    const items = p.steps.map((s) => ({
      label: `${s.status === 'rebuilt' ? '$(debug-restart)' : '$(check)'} ${vscode.l10n.t('line {0}', s.line)}: ${doc.lineAt(s.line - 1).text.trim().slice(0, 80)}`,
      description: s.status === 'rebuilt' ? vscode.l10n.t('rebuilds') : vscode.l10n.t('cached'),
      detail: typeof s.stage === 'string' ? vscode.l10n.t('stage {0}', s.stage) : vscode.l10n.t('stage #{0}', s.stage),
      line: s.line,
    }));
    const pick = await vscode.window.showQuickPick(items, {
      title: predictionSummary(p),
      placeHolder: answer.files.length ? vscode.l10n.t('Changed: {0}', answer.files.join(', ')) : vscode.l10n.t('None of the picked files is in the build context ({0}).', answer.context),
    });
    const line = pick?.line ?? p.firstRebuiltLine;
    if (line) {
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      const pos = new vscode.Position(line - 1, 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return answer;
  };

  const onSave = async (doc: vscode.TextDocument) => {
    if (isDockerfileDocument(doc) || doc.uri.scheme === 'untitled') return;
    if (!vscode.workspace.getConfiguration(SECTION, doc.uri).get<boolean>(HINT_SETTING, true)) return;
    const answers: RebuildAnswer[] = [];
    const parts: string[] = [];
    for (const df of await layers.dockerfiles()) {
      try {
        const a = await answerFor(layers, df, [doc.uri]);
        if (!a || !a.files.length || a.prediction.firstRebuiltLine === null) continue;
        answers.push(a);
        const name = vscode.workspace.asRelativePath(df, false);
        const first = a.prediction.steps.find((s) => s.line === a.prediction.firstRebuiltLine)!;
        parts.push(vscode.l10n.t('{0} line {1} ({2})', name, first.line, first.instruction));
      } catch {
        // a Dockerfile we cannot read or analyse: no hint for it
      }
    }
    if (!parts.length) return;
    const message = vscode.l10n.t('$(debug-restart) {0} invalidates the build cache from {1}', vscode.workspace.asRelativePath(doc.uri, false), parts.join('; '));
    lastHint = { file: doc.uri.toString(), message, answers };
    vscode.window.setStatusBarMessage(message, 15000);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(WHAT_REBUILDS_COMMAND, command),
    vscode.commands.registerCommand(LAST_HINT_COMMAND, () => lastHint),
    vscode.workspace.onDidSaveTextDocument((d) => void onSave(d)),
  );
}
