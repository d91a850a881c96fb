/**
 * The floor's pages as React elements: a captured DOM node becomes the props React would have been
 * given to render it. Rendered by server components, such a page costs what React and Next cost
 * for that markup (every element is in the RSC payload and is hydrated), which a page that injects
 * the same markup as one HTML string does not.
 */

/** A captured DOM node: text, or [tag, attributes in document order, children]. */
export type CapturedNode = string | [tag: string, attributes: [string, string][], CapturedNode[]];

/** The same node with React props instead of HTML attributes. */
export type ElementNode = string | [tag: string, props: Record<string, unknown>, ElementNode[]];

// HTML attributes whose React prop is not the attribute itself (React's possibleStandardNames).
const renamed: Record<string, string> = {
  class: 'className',
  for: 'htmlFor',
  tabindex: 'tabIndex',
  srcset: 'srcSet',
  fetchpriority: 'fetchPriority',
  crossorigin: 'crossOrigin',
  autocomplete: 'autoComplete',
  readonly: 'readOnly',
  maxlength: 'maxLength',
  minlength: 'minLength',
  inputmode: 'inputMode',
  enterkeyhint: 'enterKeyHint',
  spellcheck: 'spellCheck',
  colspan: 'colSpan',
  rowspan: 'rowSpan',
  datetime: 'dateTime',
  referrerpolicy: 'referrerPolicy',
  novalidate: 'noValidate',
  autofocus: 'autoFocus',
  contenteditable: 'contentEditable',
  formaction: 'formAction',
  enctype: 'encType',
  'accept-charset': 'acceptCharset',
  'http-equiv': 'httpEquiv',
  'xlink:href': 'xlinkHref',
  'xml:space': 'xmlSpace',
  viewbox: 'viewBox',
};

const booleans = new Set([
  'disabled',
  'hidden',
  'required',
  'multiple',
  'readonly',
  'autofocus',
  'novalidate',
  'open',
  'checked',
  'selected',
  'async',
  'defer',
  'inert',
  'reversed',
]);

const camel = (name: string): string =>
  name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `a: b; --c: d; font-size: 1px` as React's style object. */
export function styleObject(css: string): Record<string, string> {
  const style: Record<string, string> = {};
  for (const declaration of css.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const name = declaration.slice(0, colon).trim();
    const value = declaration.slice(colon + 1).trim();
    if (!name) continue;
    style[name.startsWith('--') ? name : camel(name.replace(/^-ms-/, 'ms-'))] = value;
  }
  return style;
}

/** The props React renders back to these attributes; event handler attributes are dropped. */
export function reactProps(tag: string, attributes: [string, string][]): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [rawName, value] of attributes) {
    const name = rawName.toLowerCase();
    if (name.startsWith('on')) continue;
    if (name === 'style') {
      props.style = styleObject(value);
    } else if (booleans.has(name)) {
      const prop = renamed[name] ?? name;
      props[name === 'checked' ? 'defaultChecked' : prop] = true;
    } else if (name === 'value' && (tag === 'input' || tag === 'textarea' || tag === 'select')) {
      props.defaultValue = value;
    } else if (name.startsWith('aria-') || name.startsWith('data-')) {
      props[name] = value;
    } else {
      props[renamed[name] ?? (name.includes('-') ? camel(name) : rawName)] = value;
    }
  }
  return props;
}

/** The captured tree as React props; a textarea's text becomes its defaultValue. */
export function toElementTree(node: CapturedNode): ElementNode {
  if (typeof node === 'string') return node;
  const [tag, attributes, children] = node;
  const props = reactProps(tag, attributes);
  if (tag === 'textarea') {
    props.defaultValue = children.filter((c) => typeof c === 'string').join('');
    return [tag, props, []];
  }
  return [tag, props, children.map(toElementTree)];
}
