/** Entry point for the Node extension host (desktop and remote). */
import type * as vscode from 'vscode';
import { activateShared } from '../shared/activate';

export function activate(context: vscode.ExtensionContext): void {
  activateShared(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
