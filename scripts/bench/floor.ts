/**
 * The framework floor for `npm run bench:web`: the same pages' markup and stylesheet, served by
 * Next.js as static pages with no client components of ours. What Lighthouse scores there is what
 * React and Next themselves cost on this machine; the storefront's figures are reported against it.
 *
 * The markup is each page's final DOM in Chromium (streamed parts in place, scripts and Next's
 * hidden streaming leftovers removed); the stylesheet is the build's own CSS. The floor is built
 * with the storefront's `inlineCss` setting so both deliver the stylesheet the same way. Each page
 * is built twice: as server components (the floor: React hydrates every element, as on any page
 * with no client components) and as one injected HTML string (React hydrates one element; no
 * React page can go lower, so it is printed as a bound, not a goal).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { toElementTree, type CapturedNode } from './markup-tree';

export interface PageMarkup {
  page: string;
  bodyClass: string;
  html: string;
  /** The same body as a tree of elements, for the floor that renders it with React. */
  tree: CapturedNode[];
  /** The stylesheets the page applied, inline or linked, in order. */
  css: string[];
}

/** Each page's rendered body, as a shopper's browser ends up with it. */
export async function captureMarkup(
  pages: { page: string; url: string }[],
  chromiumPath: string,
): Promise<PageMarkup[]> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
    const tab = await context.newPage();
    const captured: PageMarkup[] = [];
    for (const { page, url } of pages) {
      await tab.goto(url, { waitUntil: 'networkidle' });
      const found = await tab.evaluate((name) => {
        const body = document.body.cloneNode(true) as HTMLElement;
        for (const node of body.querySelectorAll(
          'script, template, next-route-announcer, nextjs-portal, [hidden][id^="S:"]',
        )) {
          node.remove();
        }
        const sheets = [...document.querySelectorAll('style, link[rel="stylesheet"]')].map(
          (node) =>
            node instanceof HTMLLinkElement
              ? { href: node.href, text: undefined }
              : { href: undefined, text: node.textContent ?? '' },
        );
        // A walk with a stack, not a recursive helper: tsx wraps named functions in a helper that
        // does not exist in the page.
        type Captured = string | [string, [string, string][], Captured[]];
        const tree: Captured[] = [];
        const stack: [Node, Captured[]][] = [...body.childNodes].reverse().map((n) => [n, tree]);
        for (let entry = stack.pop(); entry; entry = stack.pop()) {
          const [node, into] = entry;
          if (node.nodeType === Node.TEXT_NODE) into.push(node.textContent ?? '');
          if (!(node instanceof Element)) continue;
          const children: Captured[] = [];
          into.push([node.localName, [...node.attributes].map((a) => [a.name, a.value]), children]);
          for (const child of [...node.childNodes].reverse()) stack.push([child, children]);
        }
        return {
          page: name,
          bodyClass: document.body.className,
          html: body.innerHTML,
          tree,
          sheets,
        };
      }, page);
      const css: string[] = [];
      for (const sheet of found.sheets) {
        css.push(sheet.href ? await (await fetch(sheet.href)).text() : (sheet.text ?? ''));
      }
      captured.push({
        page: found.page,
        bodyClass: found.bodyClass,
        html: found.html,
        tree: found.tree,
        css,
      });
    }
    return captured;
  } finally {
    await browser.close();
  }
}

/**
 * Writes and builds the floor app under `dir`. Its pages are /floor/<page>, the markup injected as
 * one HTML string (React hydrates a single element: lower than any React page can go), and
 * /floor-tree/<page>, the same markup rendered as server components (React hydrates every
 * element, as it would for a page with no client components at all).
 */
export function buildFloor(options: {
  dir: string;
  projectDir: string;
  markup: PageMarkup[];
  inlineCss: boolean;
}): void {
  const { dir, projectDir } = options;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'app', 'floor'), { recursive: true });
  symlinkSync(path.join(projectDir, 'public'), path.join(dir, 'public'));
  writeFileSync(
    path.join(dir, 'next.config.mjs'),
    `export default ${JSON.stringify({
      poweredByHeader: false,
      experimental: { inlineCss: options.inlineCss },
      turbopack: { root: projectDir },
    })};\n`,
  );
  // The stylesheet is already built: nothing may process it again.
  writeFileSync(path.join(dir, 'postcss.config.mjs'), 'export default { plugins: {} };\n');
  writeFileSync(
    path.join(dir, 'app', 'floor.css'),
    [...new Set(options.markup.flatMap((page) => page.css))].join('\n'),
  );
  const bodyClass = options.markup[0]?.bodyClass ?? '';
  writeFileSync(
    path.join(dir, 'app', 'layout.jsx'),
    `import './floor.css';\nexport default function Layout({ children }) {\n  return (<html lang="en"><body className=${JSON.stringify(bodyClass)}>{children}</body></html>);\n}\n`,
  );
  writeFileSync(
    path.join(dir, 'app', 'render-tree.jsx'),
    `import { createElement } from 'react';\nexport function renderTree(node) {\n  return typeof node === 'string' ? node : createElement(node[0], node[1], ...node[2].map(renderTree));\n}\n`,
  );
  for (const { page, html, tree } of options.markup) {
    const treeDir = path.join(dir, 'app', 'floor-tree', page);
    mkdirSync(treeDir, { recursive: true });
    writeFileSync(path.join(treeDir, 'tree.json'), JSON.stringify(tree.map(toElementTree)));
    writeFileSync(
      path.join(treeDir, 'page.jsx'),
      `import { renderTree } from '../../render-tree';\nimport tree from './tree.json';\nexport default function FloorTree() {\n  return <>{tree.map(renderTree)}</>;\n}\n`,
    );
    mkdirSync(path.join(dir, 'app', 'floor', page), { recursive: true });
    writeFileSync(path.join(dir, 'app', 'floor', page, 'markup.json'), JSON.stringify({ html }));
    writeFileSync(
      path.join(dir, 'app', 'floor', page, 'page.jsx'),
      `import markup from './markup.json';\nexport default function Floor() {\n  return <div style={{ display: 'contents' }} dangerouslySetInnerHTML={{ __html: markup.html }} />;\n}\n`,
    );
  }
  const result = spawnSync(
    process.execPath,
    [path.join(projectDir, 'node_modules/next/dist/bin/next'), 'build'],
    { cwd: dir, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) throw new Error(`the floor's next build failed (exit ${result.status})`);
}
