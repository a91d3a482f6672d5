import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, hoverText, lineOf, openFixture, revertAndCloseAll, waitFor } from './helpers';

/** The hover text at the first character of the instruction keyword on the line starting with `prefix`. */
async function hoverOn(file: string, prefix: string, from = 0): Promise<{ text: string; line: number }> {
  const { document: doc } = await openFixture(file);
  const line = lineOf(doc, prefix, from);
  const col = doc.lineAt(line).firstNonWhitespaceCharacterIndex + 1;
  // the first hover request may race activation: retry briefly
  const text = await waitFor(() => hoverText(doc.uri, new vscode.Position(line, col)), 10000, 250);
  assert.ok(text, `a hover on ${prefix.split(' ')[0]} at ${file}:${line + 1}`);
  return { text, line };
}

suite('hover on instruction keywords', () => {
  suiteSetup(async () => {
    await openFixture('Dockerfile');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  suiteTeardown(revertAndCloseAll);

  test('RUN: names the instruction, says it creates a layer, shows user / workdir / shell', async () => {
    const { text } = await hoverOn('Dockerfile', 'RUN');
    assert.match(text, /\bRUN\b/, text);
    assert.match(text, /layer/i, text);
    assert.ok(text.includes('/app'), `workdir /app in: ${text}`);
    assert.match(text, /\broot\b/, `user root in: ${text}`);
    assert.ok(text.includes('/bin/sh'), `default shell /bin/sh in: ${text}`);
  });

  test('COPY: creates a layer', async () => {
    const { text } = await hoverOn('Dockerfile', 'COPY');
    assert.match(text, /\bCOPY\b/, text);
    assert.match(text, /layer/i, text);
  });

  test('CMD: only changes metadata', async () => {
    const { text } = await hoverOn('Dockerfile', 'CMD');
    assert.match(text, /\bCMD\b/, text);
    assert.match(text, /metadata/i, text);
  });

  test('state follows SHELL, WORKDIR and USER (second stage of clean.dockerfile)', async () => {
    const run = await hoverOn('clean.dockerfile', 'RUN addgroup');
    assert.ok(run.text.includes('/bin/ash'), `SHELL /bin/ash in: ${run.text}`);
    assert.ok(run.text.includes('/srv'), `WORKDIR /srv in: ${run.text}`);
    assert.match(run.text, /layer/i, run.text);

    const env = await hoverOn('clean.dockerfile', 'ENV');
    assert.match(env.text, /\bENV\b/, env.text);
    assert.match(env.text, /metadata/i, env.text);
    assert.match(env.text, /\bapp\b/, `user app (after USER app) in: ${env.text}`);
    assert.doesNotMatch(env.text.replace(/\/root\b/g, ''), /\broot\b/, `user is no longer root in: ${env.text}`);
  });

  test('FROM (first stage): names the instruction', async () => {
    const { text } = await hoverOn('clean.dockerfile', 'FROM');
    assert.match(text, /\bFROM\b/, text);
  });
});
