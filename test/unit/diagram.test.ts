import assert from 'node:assert/strict';
import { buildModel } from '../../src/core';
import { scanContext } from '../../src/core/context';
import { computeLayers, formatBytes } from '../../src/core/layers';
import { layerHint } from '../../src/core/layerText';
import { dockerfileDiagram } from '../../src/extension/shared/diagramData';
import { MemFs } from './memFs';
import {
  blockHeight, BLOCK, edgePath, fitText, layoutGraph, LayoutNodeInput, nodeBox, nominalBytes, PlacedNode, textUnits,
} from '../../src/webview/layout';

const overlaps = (a: PlacedNode, b: PlacedNode) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const box = (id: string, width = 120, height = 48): LayoutNodeInput => ({ id, width, height });

describe('diagram layout (dagre)', () => {
  it('draws what a stage builds on above it (top to bottom)', () => {
    const l = layoutGraph([box('img'), box('build'), box('app')], [
      { key: 'a', from: 'img', to: 'build' },
      { key: 'b', from: 'build', to: 'app' },
    ]);
    const y = Object.fromEntries(l.nodes.map((n) => [n.id, n.y]));
    assert.ok(y.img < y.build && y.build < y.app, JSON.stringify(y));
  });

  it('places no two nodes on top of each other and keeps them inside the drawing', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) => box(id, 90 + i * 20, i % 2 ? 32 : 48));
    const edges = [['a', 'c'], ['b', 'c'], ['c', 'd'], ['c', 'e'], ['b', 'e'], ['d', 'f'], ['e', 'f'], ['a', 'g']]
      .map(([from, to], i) => ({ key: `e${i}`, from, to }));
    const l = layoutGraph(nodes, edges);
    assert.equal(l.nodes.length, nodes.length);
    for (let i = 0; i < l.nodes.length; i++) {
      const n = l.nodes[i];
      assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= l.width && n.y + n.height <= l.height, `${n.id} inside ${l.width}x${l.height}`);
      for (let j = i + 1; j < l.nodes.length; j++) assert.ok(!overlaps(n, l.nodes[j]), `${n.id} overlaps ${l.nodes[j].id}`);
    }
  });

  it('routes every edge from its source to its target, parallel edges included', () => {
    const l = layoutGraph([box('build'), box('app')], [
      { key: 'from', from: 'build', to: 'app' },
      { key: 'copy', from: 'build', to: 'app' },
    ]);
    assert.deepEqual(l.edges.map((e) => e.key).sort(), ['copy', 'from']);
    const byId = Object.fromEntries(l.nodes.map((n) => [n.id, n]));
    for (const e of l.edges) {
      assert.ok(e.points.length >= 2, `${e.key} has points`);
      const first = e.points[0];
      const last = e.points[e.points.length - 1];
      const src = byId.build;
      const dst = byId.app;
      assert.ok(Math.abs(first.y - (src.y + src.height)) < 1, `${e.key} leaves the bottom of build: ${JSON.stringify(first)}`);
      assert.ok(Math.abs(last.y - dst.y) < 1, `${e.key} enters the top of app: ${JSON.stringify(last)}`);
    }
    assert.match(edgePath(l.edges[0].points), /^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/);
  });

  it('returns nodes in reading order (the keyboard tab order) and is deterministic', () => {
    const nodes = [box('z'), box('y'), box('x'), box('w')];
    const edges = [{ key: '1', from: 'z', to: 'x' }, { key: '2', from: 'y', to: 'x' }, { key: '3', from: 'x', to: 'w' }];
    const a = layoutGraph(nodes, edges);
    const b = layoutGraph(nodes, edges);
    assert.deepEqual(a, b);
    for (let i = 1; i < a.nodes.length; i++) {
      const p = a.nodes[i - 1];
      const n = a.nodes[i];
      assert.ok(p.y < n.y || (p.y === n.y && p.x <= n.x), `reading order at ${i}: ${JSON.stringify(a.nodes)}`);
    }
  });

  it('ignores edges to unknown nodes and self edges; an empty graph is empty', () => {
    const l = layoutGraph([box('a')], [{ key: '1', from: 'a', to: 'missing' }, { key: '2', from: 'a', to: 'a' }]);
    assert.equal(l.edges.length, 0);
    assert.equal(l.nodes.length, 1);
    assert.deepEqual(layoutGraph([], []), { width: 0, height: 0, nodes: [], edges: [] });
  });

  it('survives a cycle (a COPY --from a later stage)', () => {
    const l = layoutGraph([box('a'), box('b')], [{ key: '1', from: 'a', to: 'b' }, { key: '2', from: 'b', to: 'a' }]);
    assert.equal(l.edges.length, 2);
    assert.ok(!overlaps(l.nodes[0], l.nodes[1]));
  });
});

describe('diagram boxes and blocks', () => {
  it('counts CJK characters as double width and shortens long text with an ellipsis', () => {
    assert.equal(textUnits('abc'), 3);
    assert.equal(textUnits('构建'), 4);
    const f = fitText('registry.example.com/team/very-long-image-name:1.2.3', 20);
    assert.ok(f.truncated && f.text.endsWith('…') && textUnits(f.text) <= 20, JSON.stringify(f));
    assert.deepEqual(fitText('short', 20), { text: 'short', truncated: false });
    const wide = nodeBox('构建阶段构建阶段', 'FROM node:20');
    const narrow = nodeBox('buildbui', 'FROM node:20');
    assert.ok(wide.width > narrow.width, `${wide.width} > ${narrow.width}`);
  });

  it('sizes layer blocks by the logarithm of their bytes, between a readable minimum and a maximum', () => {
    assert.equal(blockHeight(undefined), BLOCK.min);
    assert.equal(blockHeight(0), BLOCK.min);
    assert.equal(blockHeight(500), BLOCK.min);
    assert.equal(blockHeight(1024 ** 3), BLOCK.max);
    assert.equal(blockHeight(50 * 1024 ** 3), BLOCK.max);
    const sizes = [2e3, 50e3, 1e6, 30e6, 300e6];
    const heights = sizes.map(blockHeight);
    for (let i = 1; i < heights.length; i++) assert.ok(heights[i] > heights[i - 1], `monotonic: ${heights}`);
    assert.ok(nominalBytes('RUN') > nominalBytes('COPY') && nominalBytes('COPY') > nominalBytes('WORKDIR'));
  });
});

const MULTI = [
  'ARG BASE=node:20.11-alpine', //                   0
  'FROM ${BASE} AS deps', //                         1
  'WORKDIR /src', //                                 2
  'COPY package.json .', //                          3
  'RUN npm ci', //                                   4
  '', //                                             5
  'FROM golang:1.22 AS tools', //                    6
  'RUN go install example.com/tool@v1', //          7
  '', //                                             8
  'FROM deps AS build', //                           9
  'ENV NODE_ENV=production', //                      10
  'RUN --mount=type=cache,from=tools,target=/t \\', // 11
  '    npm run build', //                            12
  '', //                                             13
  'FROM alpine:3.20 AS unused', //                   14
  'RUN echo unused', //                              15
  '', //                                             16
  'FROM scratch', //                                 17
  'COPY --from=build /src/dist /app', //             18
  'COPY --from=busybox:1.36 /bin/busybox /bin/', //  19
  'USER 65534', //                                   20
  'EXPOSE 8080', //                                  21
  'CMD ["/app/server"]', //                          22
].join('\n');

describe('the live Dockerfile diagram data', () => {
  const opts = { uri: 'file:///w/Dockerfile', version: 3, fileName: 'Dockerfile' };

  it('has the stages and the images they use as nodes, FROM / COPY --from / RUN --mount=from as edges', () => {
    const d = dockerfileDiagram(buildModel(MULTI), opts);
    const stages = d.nodes.filter((n) => n.kind === 'stage');
    assert.deepEqual(stages.map((n) => n.label), ['deps', 'tools', 'build', 'unused', '#4']);
    assert.deepEqual(stages.map((n) => n.line), [1, 6, 9, 14, 17]);
    assert.deepEqual(d.nodes.filter((n) => n.kind !== 'stage').map((n) => n.label), ['node:20.11-alpine', 'golang:1.22', 'alpine:3.20', 'busybox:1.36']);
    const label = (id: string) => d.nodes.find((n) => n.id === id)?.label;
    const edges = d.edges.map((e) => `${label(e.from)} -${e.kind}-> ${label(e.to)} @${e.line}`).sort();
    assert.deepEqual(edges, [
      'alpine:3.20 -from-> unused @14',
      'build -copy-from-> #4 @18',
      'busybox:1.36 -copy-from-> #4 @19',
      'deps -from-> build @9',
      'golang:1.22 -from-> tools @6',
      'node:20.11-alpine -from-> deps @1',
      'tools -mount-from-> build @11',
    ]);
    assert.equal(d.target, 4);
    assert.deepEqual(stages.filter((n) => n.target).map((n) => n.label), ['#4']);
  });

  it('marks the target\'s path: the stages and images the target needs, and not the unused stage', () => {
    const d = dockerfileDiagram(buildModel(MULTI), opts);
    const req = Object.fromEntries(d.nodes.map((n) => [n.label, n.required]));
    assert.deepEqual(req, { deps: true, tools: true, build: true, unused: false, '#4': true, 'node:20.11-alpine': true, 'golang:1.22': true, 'alpine:3.20': false, 'busybox:1.36': true });
    assert.equal(d.edges.find((e) => e.line === 14)?.required, false);
    const t = dockerfileDiagram(buildModel(MULTI, { target: 'tools' }), opts);
    assert.deepEqual(t.nodes.filter((n) => n.required).map((n) => n.label), ['tools', 'golang:1.22']);
  });

  it('stacks a stage\'s layers bottom up: base, one block per filesystem step, metadata steps as annotations', () => {
    const d = dockerfileDiagram(buildModel(MULTI), opts);
    const build = d.stacks[2];
    assert.deepEqual(build.entries.map((e) => `${e.kind}:${e.keyword}:${e.line}-${e.endLine}`), ['base:FROM:9-9', 'meta:ENV:10-10', 'layer:RUN:11-12']);
    assert.match(build.entries[0].detail, /deps/);
    const last = d.stacks[4];
    assert.deepEqual(last.entries.map((e) => `${e.kind}:${e.keyword}`), ['base:FROM', 'layer:COPY', 'layer:COPY', 'meta:USER', 'meta:EXPOSE', 'meta:CMD']);
    assert.equal(last.entries[0].text, 'scratch');
    assert.equal(d.stacks[0].entries.map((e) => e.keyword).join(' '), 'FROM WORKDIR COPY RUN');
    assert.equal(d.sizeSource, 'by-kind');
    assert.ok(d.stacks.every((s) => s.total === '' && s.entries.every((e) => e.size === '' && e.bytes === undefined)));
  });

  it('shows the layer preview\'s numbers: which steps make layers, and the bytes each COPY takes from the context', async () => {
    const text = [
      'FROM node:20.11 AS build', //        0
      'WORKDIR /src', //                    1  empty layer
      'COPY package.json .', //             2  1234 B
      'RUN npm ci', //                      3  unknown until built
      'COPY src ./src', //                  4  5000 + 20 B
      '', //                                5
      'FROM node:20.11-slim', //            6
      'WORKDIR /', //                       7  no layer
      'COPY --from=build /src /app', //     8  traced through a RUN: unknown
      'CMD ["node", "/app/src/a.js"]', //   9
    ].join('\n');
    const fs = new MemFs({ '/w/Dockerfile': text, '/w/package.json': 'x'.repeat(1234), '/w/src/a.js': 'y'.repeat(5000), '/w/src/b.js': 'z'.repeat(20) });
    const model = buildModel(text);
    const preview = computeLayers(model, { allStages: true, context: await scanContext(fs, '/w', '/w/Dockerfile') });
    const d = dockerfileDiagram(model, { ...opts, preview });
    assert.equal(d.sizeSource, 'layer-preview');
    const rows = (i: number) => d.stacks[i].entries.map((e) => `${e.kind}:${e.keyword}:${e.size}`);
    assert.deepEqual(rows(0), ['base:FROM:', 'layer:WORKDIR:0 B', 'layer:COPY:1.23 kB', 'layer:RUN:', 'layer:COPY:5.02 kB']);
    // traced back through build's COPYs; its RUN may add more: a lower bound
    assert.deepEqual(rows(1), ['base:FROM:', 'meta:WORKDIR:', 'layer:COPY:6.25 kB+', 'meta:CMD:']);
    assert.equal(d.stacks[0].total, 'at least 6.25 kB');
    assert.equal(d.stacks[1].total, 'at least 6.25 kB');
    // the same numbers as the layer preview, step by step
    for (const stack of d.stacks) {
      for (const e of stack.entries.filter((x) => x.kind !== 'base')) {
        const sl = preview.byStep.get(model.steps.find((st) => st.range.start.line === e.line)!.index)!;
        assert.equal(e.kind === 'layer', sl.kind === 'layer', `line ${e.line}`);
        if (sl.copy) assert.equal(e.size.replace(/\+$/, ''), sl.copy.bytes === null ? '' : formatBytes(sl.copy.bytes), `line ${e.line}`);
        // the block's description carries the inlay hint's own text
        if (e.kind === 'layer') assert.ok(e.detail.includes(layerHint(sl)!), `${e.detail} has ${layerHint(sl)}`);
      }
    }
    assert.match(d.stacks[0].entries[2].detail, /layer base\+2 · 1 files, 1\.23 kB/);
    assert.match(d.stacks[0].entries[3].detail, /npm/);
    const noContext = dockerfileDiagram(model, { ...opts, preview: computeLayers(model, { allStages: true }) });
    assert.equal(noContext.sizeSource, 'by-kind');
    assert.deepEqual(noContext.stacks[0].entries.map((e) => e.size), ['', '0 B', '', '', '']);
  });

  it('draws a fragment without FROM as one stage with an unknown base', () => {
    const d = dockerfileDiagram(buildModel('RUN apk add curl\nCMD ["sh"]\n'), opts);
    assert.equal(d.nodes.length, 1);
    assert.deepEqual(d.stacks[0].entries.map((e) => `${e.kind}:${e.keyword}`), ['base:FROM', 'layer:RUN', 'meta:CMD']);
  });

  it('has no nodes for an empty file', () => {
    const d = dockerfileDiagram(buildModel(''), opts);
    assert.deepEqual([d.nodes.length, d.edges.length, d.stacks.length, d.target], [0, 0, 0, -1]);
  });
});
