/** SARIF 2.1.0 output (validated against the official schema in the unit tests). */
import { RULES } from '../core/registry';
import { docsPath } from '../core/rule';
import type { Severity } from '../core/types';
import type { FileResult } from './main';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

function toUri(file: string): string {
  if (file === '<stdin>') return 'stdin';
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}

export function toSarif(results: FileResult[], version: string): unknown {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'Dockerfile Insight',
          version,
          semanticVersion: version,
          rules: RULES.map((r) => ({
            id: r.id,
            name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: r.title },
            help: { text: `${r.title}. Documentation: ${docsPath(r.id)} in the Dockerfile Insight package.` },
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: {
              category: r.category,
              tags: [r.category],
              ...(Object.keys(r.aliases).length ? { aliases: r.aliases } : {}),
            },
          })),
        },
      },
      results: results.flatMap((r) => r.diagnostics.map((d) => ({
        ruleId: d.ruleId,
        ruleIndex: ruleIndex.get(d.ruleId) ?? -1,
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: toUri(r.file) },
            region: {
              startLine: d.range.start.line + 1,
              startColumn: d.range.start.character + 1,
              endLine: d.range.end.line + 1,
              endColumn: d.range.end.character + 1,
            },
          },
        }],
        properties: { category: d.category, ...(Object.keys(d.aliases).length ? { aliases: d.aliases } : {}) },
      }))),
    }],
  };
}
