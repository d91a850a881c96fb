/**
 * The framework floor for `npm run bench:web`: the same pages' markup and stylesheet, served by
 * Next.js as static pages with no client components of ours. What Lighthouse scores there is what
 * React and Next themselves cost on this machine; the storefront's figures are reported against it.
 *
 * The markup is each page's final DOM in Chromium (streamed parts in place, scripts and Next's
 * hidden streaming leftovers removed); the stylesheet is the build's own CSS. The floor is built
 * with the storefront's `inlineCss` setting so both deliver the stylesheet the same way.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

export interface PageMarkup {
  page: string;
  bodyClass: string;
  html: string;
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
        return { page: name, bodyClass: document.body.className, html: body.innerHTML, sheets };
      }, page);
      const css: string[] = [];
      for (const sheet of found.sheets) {
        css.push(sheet.href ? await (await fetch(sheet.href)).text() : (sheet.text ?? ''));
      }
      captured.push({ page: found.page, bodyClass: found.bodyClass, html: found.html, css });
    }
    return captured;
  } finally {
    await browser.close();
  }
}

/** Writes and builds the floor app under `dir`; its pages are /floor/<page>. */
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
  for (const { page, html } of options.markup) {
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
