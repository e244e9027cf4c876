import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// The exports `ptstudio export` writes (the same graph-export plugin the app runs, in the same
// sandbox), handed to the tools people load them into: Mermaid rendering in Chromium (the npm
// package's own bundle), cytoscape and graphology's GEXF reader (Gephi Lite's) in Node.
const root = join(__dirname, '..', '..');
const samples = join(root, '..', 'shared', 'isg-samples', 'v0.1.0-snapshot');
const require = createRequire(__filename);
const out = mkdtempSync(join(tmpdir(), 'exports-'));

function ptstudio(args: string[]): string {
  return execFileSync('cargo', ['run', '-q', '-p', 'cli', '--', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** Exports `sample` as `format`, returning the file's text. */
function exported(sample: string, format: string, scope = 'all'): string {
  const file = join(out, `${sample}.${format}.${scope}`);
  ptstudio(['export', '--isg', join(samples, sample), '--format', format, '--scope', scope, '-o', file]);
  return readFileSync(file, 'utf8');
}

/** Node and edge counts as the loader reads `sample`. */
function counts(sample: string): { nodes: number; edges: number } {
  const inspected = JSON.parse(ptstudio(['inspect', '--json', join(samples, sample)]));
  return { nodes: inspected.nodes, edges: inspected.edges };
}

// The tools are the same on both backends: once is enough.
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'webgl2', 'no renderer involved');
});

test('Mermaid renders the flowcharts and class diagrams of axum and tokio, within its default limits', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => (window as any).mermaid.initialize({ startOnLoad: false }));
  for (const sample of ['axum-0.8.3.json', 'tokio-1.47.1.json']) {
    for (const [format, scope] of [['mermaid', 'all'], ['mermaid-class', 'all'], ['mermaid', 'modules']]) {
      const text = exported(sample, format, scope);
      const result = await page.evaluate(async (chart) => {
        try {
          const { svg } = await (window as any).mermaid.render(`chart${Math.floor(Math.random() * 1e9)}`, chart);
          return { svg, error: '' };
        } catch (e) {
          return { svg: '', error: String(e) };
        }
      }, text);
      expect(result.error, `${sample} as ${format} (${scope})`).toBe('');
      expect(result.svg).toContain('<svg');
      // Every box the text declares is drawn.
      const declared = format === 'mermaid-class' ? (text.match(/^ {2}class C\d+/gm) ?? []).length : (text.match(/^ {2}[nm]\d+\["/gm) ?? []).length;
      expect(declared).toBeGreaterThan(5);
      const drawn = (result.svg.match(format === 'mermaid-class' ? /id="[^"]*classId-C\d+-\d+"/g : /class="node default[^"]*"/g) ?? []).length;
      expect(drawn, `${sample} as ${format}: ${declared} declared`).toBe(declared);
    }
  }
});

test('cytoscape loads the Cytoscape.js export with every node, edge and name', () => {
  const cytoscape = require('cytoscape');
  for (const sample of ['axum-0.8.3.json', 'tokio-1.47.1.json']) {
    const { nodes, edges } = counts(sample);
    const json = JSON.parse(exported(sample, 'cytoscape'));
    const cy = cytoscape({ headless: true, elements: json.elements });
    expect(cy.nodes().length).toBe(nodes);
    expect(cy.edges().length).toBe(edges);
    expect(cy.nodes().filter((n: any) => typeof n.data('name') === 'string' && n.data('name').length > 0).length).toBe(nodes);
    expect(cy.nodes().every((n: any) => /^#[0-9a-f]{6}$/.test(n.data('color')))).toBe(true);
    // The module level is a graph of its own: fewer nodes, every edge between two of them.
    const modules = cytoscape({ headless: true, elements: JSON.parse(exported(sample, 'cytoscape', 'modules')).elements });
    expect(modules.nodes().length).toBeGreaterThan(5);
    expect(modules.nodes().length).toBeLessThan(nodes);
    expect(modules.edges().every((e: any) => e.source().length === 1 && e.target().length === 1)).toBe(true);
  }
});

test('graphology (Gephi Lite\'s reader) parses the GEXF 1.3 export with its colours and sizes', () => {
  const Graph = require('graphology');
  const { parse } = require('graphology-gexf/node');
  for (const sample of ['axum-0.8.3.json', 'tokio-1.47.1.json']) {
    const { nodes, edges } = counts(sample);
    const graph = parse(Graph, exported(sample, 'gexf'), { allowUndeclaredAttributes: false });
    expect(graph.order).toBe(nodes);
    expect(graph.size).toBe(edges);
    graph.forEachNode((_: string, attributes: any) => {
      expect(attributes.label.length).toBeGreaterThan(0);
      expect(attributes.color).toMatch(/^rgba?\(/);
      expect(attributes.size).toBeGreaterThanOrEqual(0.5);
      expect(['Function', 'Method', 'Struct', 'Enum', 'Trait', 'Impl', 'Module', 'Unknown', 'External']).toContain(attributes.kind);
    });
  }
});
