import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HOSTILE_CASES, PluginsPanel, StudioPage } from '../pages/studio';

const repo = join(__dirname, '..', '..');
// Built from source by the trunk build's pre_build hook (public/bundle-plugins.sh), never committed.
const hostileWasm = join(repo, 'target', 'plugins', 'wasm32-unknown-unknown', 'release', 'hostile.wasm');
const hostileToml = join(repo, 'plugins', 'hostile', 'plugin.toml');
const circleWasm = join(repo, 'target', 'plugins', 'wasm32-unknown-unknown', 'release', 'circle_layout.wasm');
const AXUM_NODES = 611;

test.describe('plugins', () => {
  test('a layout runs in a worker after consent, moves the nodes, reports metrics, and consent is remembered', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    const before = await studio.canvas.screenshot();

    await plugins.choose('circle-layout');
    await plugins.run.click();
    await expect(plugins.consent).toBeVisible();
    await expect(plugins.consent.getByTestId('consent-capability')).toHaveText([/^read_isg: read the loaded graph/, /^write_visualization: /]);
    await studio.redrawAfter(async () => {
      await page.getByTestId('consent-allow').click();
      await expect(plugins.newest()).toHaveAttribute('data-state', 'finished');
    });
    const row = plugins.newest();
    await expect(row.getByTestId('run-status')).toHaveText(`done: ${AXUM_NODES} positions`);
    expect(Number(await row.getByTestId('metric-host-calls').innerText())).toBeGreaterThanOrEqual(3);
    await expect(row.getByTestId('metric-fuel')).toHaveText(/^\d+ of 50000000000$/);
    await expect(row.getByTestId('metric-memory')).toHaveText(/MiB$/);

    // The nodes moved onto a circle: the picture changed, and is still a drawn graph.
    const after = await studio.canvas.screenshot();
    expect(after.equals(before)).toBe(false);
    const px = await studio.canvasPixels();
    expect(px.drawnFraction).toBeGreaterThan(0.005);

    // The audit trail shows the load, the consent and the finished run.
    await plugins.audit.locator('summary').click();
    const kinds = await plugins.audit.getByTestId('audit-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['Loaded', 'Finished', 'CapabilityUse']));
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export').click();
    const file = await (await download).path();
    const trail = JSON.parse(readFileSync(file, 'utf8'));
    expect(trail.host_calls['pt_viz.set_positions']).toBeGreaterThanOrEqual(1);

    // Grants live in IndexedDB: after a reload the same version runs without asking.
    await page.reload();
    await studio.waitForGraph(1);
    await plugins.choose('circle-layout');
    const again = await plugins.runToEnd('expect-none');
    await expect(again).toHaveAttribute('data-state', 'finished');
    await expect(plugins.consent).toHaveCount(0);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('renderer plugins restyle the view live: hotspots heat it, module colours draw hulls, style-by-kind matches the default, Default look restores it', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    const plain = await studio.canvasPixels();

    await plugins.choose('hotspots');
    await plugins.setParam('metric', 'fan_in');
    await studio.redrawAfter(async () => {
      await plugins.runToEnd();
    });
    await expect(plugins.newest().getByTestId('run-status')).toHaveText(`done: ${AXUM_NODES} node styles, 842 edge styles, 5 overlays, 4 legend entries`);
    await expect(page.getByTestId('reset-style')).toBeVisible();
    const heated = await studio.canvasPixels();
    // The five notes are placed first among the labels, and the halos and heat ramp add colours.
    expect(heated.colours).not.toBe(plain.colours);
    expect(Math.abs(heated.drawn - plain.drawn)).toBeGreaterThan(500);

    await plugins.choose('module-colors');
    await plugins.setParam('hulls', '6');
    await studio.redrawAfter(async () => {
      await plugins.runToEnd();
    });
    await expect(plugins.newest().getByTestId('run-status')).toContainText(`${AXUM_NODES} node styles`);
    const hulled = await studio.canvasPixels();
    // Translucent hulls fill the space between nodes: much more of the canvas is inked.
    expect(hulled.drawnFraction).toBeGreaterThan(plain.drawnFraction + 0.05);

    // The default look as a plugin draws about what the built-in default draws.
    await plugins.choose('style-by-kind');
    await studio.redrawAfter(async () => {
      await plugins.runToEnd();
    });
    await expect(plugins.newest().getByTestId('run-status')).toHaveText(new RegExp(`^done: ${AXUM_NODES} node styles, 842 edge styles, \\d+ legend entries$`));
    const kinds = await studio.canvasPixels();
    expect(Math.abs(kinds.drawnFraction - plain.drawnFraction)).toBeLessThan(0.03);

    await studio.redrawAfter(() => page.getByTestId('reset-style').click());
    await expect(page.getByTestId('reset-style')).toBeHidden();
    const back = await studio.canvasPixels();
    expect(Math.abs(back.drawnFraction - plain.drawnFraction)).toBeLessThan(0.005);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('the UML class view draws types as boxes holding their signature, and Implements as dashed realisation', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    // Close in on a struct, so its box has room for text.
    await studio.search.fill('Router');
    await studio.redrawAfter(() => studio.results.first().click());
    await studio.redrawAfter(() => studio.canvas.press('z'));
    const plain = await studio.canvasPixels();

    await plugins.choose('uml-view');
    await studio.redrawAfter(async () => {
      await plugins.runToEnd();
    });
    // 104 structs and 11 traits in axum: one box label each.
    await expect(plugins.newest().getByTestId('run-status')).toHaveText(`done: ${AXUM_NODES} node styles, 842 edge styles, 842 edge marks, 115 labels, 7 legend entries`);
    const boxed = await studio.canvasPixels();
    // Filled boxes ink far more of the view than the glyphs did.
    expect(boxed.drawn).toBeGreaterThan(plain.drawn + 2_000);
    // Closer in, boxes are big enough to hold their text.
    await studio.wheelAtCentre(-400, 3);

    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const text = readFileSync((await svg.path())!, 'utf8');
    // Boxes are rounded rectangles; their text is the UML notation; uses and realisations are dashed.
    expect((text.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" rx=/g) ?? []).length).toBeGreaterThan(0);
    expect(text).toContain('&lt;&lt;struct&gt;&gt;</text>');
    expect(text).toMatch(/>struct [A-Za-z:_]+<\/text>/);
    expect(text).toContain('stroke-dasharray');
    // No box overlaps another: the boxes were moved apart once their sizes were known.
    const nodes = text.slice(text.indexOf('<g id="nodes"'), text.indexOf('<g id="labels"'));
    const rects = [...nodes.matchAll(/<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)" rx=/g)].map((m) => m.slice(1, 5).map(Number));
    expect(rects.length).toBeGreaterThan(3);
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        const [a, b] = [rects[i], rects[j]];
        const apart = a[0] + a[2] <= b[0] + 0.5 || b[0] + b[2] <= a[0] + 0.5 || a[1] + a[3] <= b[1] + 0.5 || b[1] + b[3] <= a[1] + 0.5;
        expect(apart, `boxes ${JSON.stringify(a)} and ${JSON.stringify(b)} overlap`).toBe(true);
      }
    }
    await studio.redrawAfter(() => page.getByTestId('reset-style').click());
    const [again] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    const plainSvg = readFileSync((await again.path())!, 'utf8');
    expect(plainSvg).not.toContain('stroke-dasharray');
    expect(plainSvg).not.toContain('&lt;&lt;struct&gt;&gt;');
    expect(studio.consoleErrors).toEqual([]);
  });

  test('the layered layout draws its long edges through their bend points', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    const edgeLines = async () => {
      const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
      const text = readFileSync((await svg.path())!, 'utf8');
      const edges = text.slice(text.indexOf('<g id="edges"'), text.indexOf('<g id="nodes"'));
      return (edges.match(/<line /g) ?? []).length;
    };
    // Straight edges under the circle layout: one line per edge drawn.
    await plugins.choose('circle-layout');
    await plugins.runToEnd();
    await page.waitForTimeout(900);
    await studio.redrawAfter(() => studio.canvas.press('f'));
    const straight = await edgeLines();
    expect(straight).toBeGreaterThan(500);

    await plugins.choose('layered-layout');
    const row = await plugins.runToEnd();
    await expect(row.getByTestId('run-status')).toHaveText(/routed edges/);
    const log = await row.locator('pre').textContent();
    const bends = Number(/(\d+) dummy nodes/.exec(log ?? '')?.[1]);
    expect(bends).toBeGreaterThan(20);
    // Once the nodes are in place, each routed edge is a line through each of its bends.
    await page.waitForTimeout(900);
    await studio.redrawAfter(() => studio.canvas.press('f'));
    expect(await edgeLines()).toBe(straight + bends);
    await expect(page.getByTestId('error-banner')).toHaveCount(0);

    // Undo glides back to the circle with straight edges again.
    await studio.redrawAfter(() => page.keyboard.press('Control+z'));
    await page.waitForTimeout(900);
    await studio.redrawAfter(() => studio.canvas.press('f'));
    expect(await edgeLines()).toBe(straight);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('every first-party layout moves the nodes; a repeated layout is kept and replays at once', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    // Select a node so the radial layout centres on it.
    await studio.search.fill('kind');
    await studio.redrawAfter(() => studio.results.first().click());
    let previous = await studio.canvas.screenshot();
    for (const layout of ['layered-layout', 'force-layout', 'radial-layout', 'grouped-layout', 'circle-layout']) {
      await plugins.choose(layout);
      const row = await plugins.runToEnd();
      await expect(row).toHaveAttribute('data-state', 'finished');
      await expect(row.getByTestId('run-status')).toHaveText(
        layout === 'layered-layout' ? new RegExp(`^done: ${AXUM_NODES} positions, \\d+ routed edges, 1 log lines$`) : `done: ${AXUM_NODES} positions`,
      );
      // Positions glide in over 600 ms; wait until the picture holds still, then compare.
      await page.waitForTimeout(900);
      await studio.redrawAfter(() => studio.canvas.press('ArrowUp'));
      await studio.redrawAfter(() => studio.canvas.press('ArrowDown'));
      const now = await studio.canvas.screenshot();
      expect(now.equals(previous), `${layout} changed the picture`).toBe(false);
      expect((await studio.canvasPixels()).drawnFraction).toBeGreaterThan(0.005);
      previous = now;
    }
    // Back to the layered layout with the same parameters: kept from the first run, no worker.
    await plugins.choose('layered-layout');
    await plugins.run.click();
    await expect(plugins.newest().getByTestId('run-status')).toHaveText(`done: kept from an earlier run: ${AXUM_NODES} positions`);
    expect(studio.consoleErrors).toEqual([]);
  });

  test('the analysis plugins report tokio\'s tangles, what to read first, unreferenced code, module metrics, smells and communities as findings; a click selects and frames a finding\'s items', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('?isg=samples/tokio-1.47.1.json', testInfo);
    await expect(studio.nodeCount).toHaveText('2869');
    await plugins.choose('tangles');
    const tangles = await plugins.runToEnd();
    await expect(tangles).toHaveAttribute('data-state', 'finished');
    const found = tangles.getByTestId('finding');
    await expect(found.filter({ hasText: /^Warning: \d+ modules depend on one another in a cycle: .+ Cutting \d+ of their \d+ dependencies breaks it: .+ → .+ \(\d+ uses?\)/ }).first()).toBeVisible();
    const itemTangle = found.filter({ hasText: /items call or use one another in a cycle/ }).first();
    await expect(itemTangle).toBeVisible();
    // A click selects the tangle's items and frames them: the details panel names the first,
    // which the finding lists first.
    await expect(page.getByTestId('details-name')).toHaveCount(0);
    const before = await studio.canvas.screenshot();
    const warningBefore = (await studio.canvasPixels()).warning;
    await studio.redrawAfter(() => itemTangle.getByRole('button').click());
    const first = await page.getByTestId('details-name').textContent();
    expect((await itemTangle.textContent())!).toContain(`: ${first}`);
    expect((await studio.canvas.screenshot()).equals(before)).toBe(false);
    // The tangle is drawn over the graph: its items in a hull, its edges to cut in the warning
    // colour, and the legend says so.
    expect((await studio.canvasPixels()).warning).toBeGreaterThan(warningBefore + 20);
    await expect(page.getByTestId('legend')).toContainText('Orange: the finding shown');
    // Start here ranks around the item the tangle's click selected; the first item listed is a
    // finding that selects that item.
    await plugins.choose('start-here');
    const ranked = await plugins.runToEnd();
    await expect(ranked.getByTestId('finding').first()).toHaveText(`Info: Start here: the 20 items that matter most around ${first}, by PageRank over calls and uses.`);
    const second = ranked.getByTestId('finding').nth(1);
    await expect(second).toHaveText(/^Info: 1\. \S+ — \S+ \(rank 0\.\d{4}; \d+ items depend on it\)$/);
    await studio.redrawAfter(() => second.getByRole('button').click());
    const top = await page.getByTestId('details-name').textContent();
    expect((await second.textContent())!).toContain(`1. ${top} — `);
    await plugins.choose('unreferenced');
    const unused = await plugins.runToEnd();
    await expect(unused.getByTestId('finding').first()).toHaveText(/^Info: \d+ of \d+ functions and methods are not referenced, in \d+ files/);
    await plugins.choose('module-metrics');
    const metrics = await plugins.runToEnd();
    await expect(metrics).toHaveAttribute('data-state', 'finished');
    await expect(metrics.getByTestId('finding').first()).toHaveText(/^Info: \d+ modules measured: \d+ in the zone of pain, \d+ in the zone of uselessness/);
    // Smells: a hub-like module's finding selects items of that one file.
    await plugins.choose('smells');
    const smells = await plugins.runToEnd();
    await expect(smells.getByTestId('finding').first()).toHaveText(/^Info: [1-9]\d* hub-like modules \(at least 10 modules each way\), \d+ modules with unstable dependencies/);
    const hub = smells.getByTestId('finding').filter({ hasText: / is hub-like: \d+ modules depend on it and it depends on \d+/ }).first();
    const hubFile = (await hub.textContent())!.match(/^Warning: (\S+) is hub-like/)![1];
    await studio.redrawAfter(() => hub.getByRole('button').click());
    await expect(page.getByTestId('details-location')).toContainText(hubFile);
    // Communities: Leiden's summary beside the folders, and a community a click selects.
    await plugins.choose('communities');
    const communities = await plugins.runToEnd();
    await expect(communities.getByTestId('finding').first()).toHaveText(/^Info: Leiden found \d+ communities of files \(\d+ of a single one; resolution 1\.00\), modularity 0\.\d{3}; the \d+ folders as communities score -?0\.\d{3}\./);
    const biggest = communities.getByTestId('finding').nth(1);
    await expect(biggest).toHaveText(/^Info: Community 1: \d+ files \(\d+ items\), mostly files in /);
    await studio.redrawAfter(() => biggest.getByRole('button').click());
    await expect(page.getByTestId('details-name')).toHaveCount(1);
    // Patterns, marked experimental, each with what it rests on.
    await plugins.choose('patterns');
    const patterns = await plugins.runToEnd();
    await expect(patterns.getByTestId('finding').first()).toHaveText(/^Info: Experimental: \d+ builders, \d+ newtypes, \d+ visitors, \d+ observers guessed/);
    await expect(patterns.getByTestId('finding').filter({ hasText: /^Info: builder: \S+Builder in \S+ \(named / }).first()).toBeVisible();
    expect(studio.consoleErrors).toEqual([]);
  });

  test('graph-export downloads the graph in every format, and at module level', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await plugins.choose('graph-export');
    // axum's 611 items in full for DOT, GraphML, GEXF and Cytoscape.js; for the Mermaid
    // flowchart, past its limits, its modules; its 115 classes in five PlantUML parts.
    for (const [format, scope, name, head, least] of [
      ['dot', 'all', 'graph.dot', 'digraph isg {', 10_000],
      ['graphml', 'all', 'graph.graphml', '<?xml version="1.0" encoding="UTF-8"?>', 10_000],
      ['gexf', 'all', 'graph.gexf', '<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3"', 10_000],
      ['cytoscape', 'all', 'graph.cyjs.json', '{"elements":{"nodes":[', 10_000],
      ['mermaid', 'all', 'graph.mmd', '%% 611 items and', 1_000],
      ['mermaid-class', 'all', 'classes.mmd', 'classDiagram', 1_000],
      ['plantuml', 'all', 'classes.puml', "' 115 classes pass what one PlantUML image holds", 1_000],
      ['csv', 'all', 'module-metrics.csv', 'module,items,Ca,Ce,instability,abstractness,distance,zone', 500],
      ['dot', 'modules', 'graph-modules.dot', 'digraph isg {', 1_000],
    ] as const) {
      await plugins.setParam('format', format);
      await plugins.setParam('scope', scope);
      const row = await plugins.runToEnd(format === 'dot' && scope === 'all' ? 'allow' : 'expect-none');
      const file = row.getByTestId('run-file');
      await expect(file).toHaveAttribute('data-name', name);
      const download = page.waitForEvent('download');
      await file.click();
      const saved = await download;
      expect(saved.suggestedFilename()).toBe(name);
      const text = readFileSync((await saved.path())!, 'utf8');
      expect(text.startsWith(head), `${name} starts with ${head}`).toBe(true);
      expect(text.length).toBeGreaterThan(least);
      // Gephi and Cytoscape.js get the picture on screen: one position per item.
      if (format === 'gexf') expect((text.match(/<viz:position /g) ?? []).length).toBe(611);
      if (format === 'cytoscape') expect((text.match(/"position":\{"x":/g) ?? []).length).toBe(611);
    }
    // What is shown: with functions filtered out, the visible export holds exactly the items drawn.
    const download = async (): Promise<string> => {
      const row = await plugins.runToEnd('expect-none');
      const saved = page.waitForEvent('download');
      await row.getByTestId('run-file').click();
      return readFileSync((await (await saved).path())!, 'utf8');
    };
    await studio.redrawAfter(() => page.getByTestId('filter-node-Function').uncheck());
    const shown = (await studio.shown()).nodes;
    expect(shown).toBeLessThan(611);
    await plugins.setParam('format', 'dot');
    await plugins.setParam('scope', 'visible');
    const visible = await download();
    expect((visible.match(/^  n\d+ \[label=/gm) ?? []).length).toBe(shown);
    expect(visible).not.toContain('shape=ellipse');
    await studio.redrawAfter(() => page.getByTestId('filters-reset').click());
    // The selection: two items selected give exactly those two.
    await studio.searchAndSelect('Router');
    await studio.searchAndSelect('MethodRouter', true);
    await expect(page.getByTestId('zoom-selection')).toHaveAttribute('data-selected', '2');
    await plugins.setParam('scope', 'selection');
    const selection = await download();
    expect((selection.match(/^  n\d+ \[label=/gm) ?? []).length).toBe(2);
    expect(selection).toContain('label="Router"');
    expect(studio.consoleErrors).toEqual([]);
  });

  test('a progressive layout shows progress and Cancel stops it at once', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    const row = await plugins.startEndlessLayout();
    // Intermediate positions reach the canvas while it runs.
    await studio.redrawAfter(async () => {});
    await row.getByTestId('plugin-cancel').click();
    await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 5_000 });
    await expect(row.getByTestId('run-status')).toHaveText('Cancelled: plugin force-layout@0.1.0 was cancelled');
    // The worker is fine: the next run works.
    await plugins.choose('circle-layout');
    const next = await plugins.runToEnd('allow');
    await expect(next).toHaveAttribute('data-state', 'finished');
  });

  test('hostile plugins are contained with typed errors, and the graph stays', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    await plugins.chooseFiles(hostileToml, hostileWasm, 'hostile@0.1.0');

    // Refusing consent runs nothing and is recorded.
    await plugins.run.click();
    await page.getByTestId('consent-deny').click();
    await expect(plugins.rows).toHaveCount(0);

    await plugins.expectFailures(HOSTILE_CASES);
    await plugins.setParam('mode', 'behave');
    const fine = await plugins.runToEnd('expect-none');
    await expect(fine.getByTestId('finding')).toHaveText(`Info: ${AXUM_NODES} nodes, 842 edges`);

    // The graph and the page are intact.
    await expect(studio.nodeCount).toHaveText(String(AXUM_NODES));
    await expect(studio.errorBanner).toHaveCount(0);
    const px = await studio.canvasPixels();
    expect(px.drawnFraction).toBeGreaterThan(0.02);
    await plugins.audit.locator('summary').click();
    const kinds = await plugins.audit.getByTestId('audit-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['Denied', 'LimitHit', 'Error']));
  });

  test('bad modules from disk are refused at load with typed errors', async ({ page }, testInfo) => {
    const studio = new StudioPage(page);
    const plugins = new PluginsPanel(page);
    await studio.open('', testInfo);
    // Asks for nothing, so no consent dialog: what it imports decides.
    const manifest = Buffer.from(
      '[plugin]\nname = "suspect"\nversion = "0.1.0"\nauthor = "e2e"\ndescription = "d"\nkind = "layout"\nhost_api = "^1"\n',
    );
    const cases: [string, Buffer, RegExp][] = [
      ['garbage.wasm', Buffer.from('this is not wasm at all'), /^InvalidModule: plugin suspect@0.1.0 is not a valid module: /],
      ['empty.wasm', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), /^AbiMismatch: plugin suspect@0.1.0 does not speak plugin ABI 1: it has no exported memory$/],
      // A real layout whose manifest does not ask for read_isg: its import is refused, by name.
      ['circle_layout.wasm', readFileSync(circleWasm), /^CapabilityDenied: plugin suspect@0.1.0 imports pt_isg\.\w+, which needs the read_isg capability/],
    ];
    for (const [name, wasm, expected] of cases) {
      await plugins.fileInput.setInputFiles([
        { name: 'plugin.toml', mimeType: 'text/plain', buffer: manifest },
        { name, mimeType: 'application/wasm', buffer: wasm },
      ]);
      await expect(plugins.chosen).toHaveText('suspect@0.1.0');
      const row = await plugins.runToEnd('expect-none');
      await expect(row.getByTestId('run-status')).toHaveText(expected);
    }
    // A manifest with an unknown field never gets as far as a run.
    await plugins.fileInput.setInputFiles([
      { name: 'plugin.toml', mimeType: 'text/plain', buffer: Buffer.concat([manifest, Buffer.from('homepage = "x"\n')]) },
      { name: 'x.wasm', mimeType: 'application/wasm', buffer: readFileSync(circleWasm) },
    ]);
    await expect(studio.errorBanner).toContainText('homepage');
    await expect(studio.nodeCount).toHaveText(String(AXUM_NODES));
  });
});
