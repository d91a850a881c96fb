import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { reactProps, styleObject, toElementTree, type ElementNode } from './markup-tree';

const render = (node: ElementNode): ReactNode =>
  typeof node === 'string' ? node : createElement(node[0], node[1], ...node[2].map(render));

describe('the floor as React elements', () => {
  it('renders a captured tree back to the same markup', () => {
    const tree = toElementTree([
      'div',
      [
        ['class', 'card'],
        ['style', 'display: contents; --gap: 2px; background-color: red'],
        ['data-state', 'open'],
        ['aria-label', 'Card'],
      ],
      [
        ['label', [['for', 'q']], ['Search']],
        [
          'input',
          [
            ['id', 'q'],
            ['value', 'tent'],
            ['disabled', ''],
            ['tabindex', '-1'],
          ],
          [],
        ],
        [
          'svg',
          [
            ['viewBox', '0 0 4 4'],
            ['stroke-width', '2'],
          ],
          [
            [
              'path',
              [
                ['fill-rule', 'evenodd'],
                ['d', 'M0 0'],
              ],
              [],
            ],
          ],
        ],
        [
          'img',
          [
            ['srcset', 'a.png 1x'],
            ['fetchpriority', 'low'],
            ['alt', ''],
          ],
          [],
        ],
        ['textarea', [['name', 'note']], ['hello']],
      ],
    ]);
    expect(renderToStaticMarkup(render(tree))).toBe(
      '<div class="card" style="display:contents;--gap:2px;background-color:red" data-state="open" aria-label="Card">' +
        '<label for="q">Search</label><input id="q" disabled="" tabindex="-1" value="tent"/>' +
        '<svg viewBox="0 0 4 4" stroke-width="2"><path fill-rule="evenodd" d="M0 0"></path></svg>' +
        '<img srcSet="a.png 1x" fetchPriority="low" alt=""/><textarea name="note">hello</textarea></div>',
    );
  });

  it('drops inline event handlers and keeps custom properties as written', () => {
    expect(
      reactProps('button', [
        ['onclick', 'alert(1)'],
        ['type', 'button'],
      ]),
    ).toEqual({
      type: 'button',
    });
    expect(styleObject('--brand: #fff; ;margin-top:0')).toEqual({
      '--brand': '#fff',
      marginTop: '0',
    });
  });
});
