// DOM helpers for page scripts (browser code, bundled into each `*.browser.ts` that imports it).
// Every value reaches the page through text nodes, never as markup: answers are untrusted.

export type Child = Node | string | number | null | undefined;
/** Attributes, `class`, and `on…` listeners; an undefined value is left out. */
export type Attrs = Record<string, string | ((e: Event) => unknown) | undefined>;

/** The element with this id (the page has every id its script uses). */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** A new element with its attributes, listeners and children (strings become text nodes). */
export function el(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined) continue;
    if (typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children)
    node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return node;
}
