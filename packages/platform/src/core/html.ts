// Server-rendered pages: a tagged template that escapes every interpolated value unless it is
// already markup produced by `html` (or explicitly marked with `raw`).

export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

type Interpolation = Markup | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Markup(out);
}

/** Trusted markup (e.g. a JSON blob already serialized with `jsonForScript`). */
export function raw(text: string): Markup {
  return new Markup(text);
}

/** JSON safe to embed inside a <script> element. */
export function jsonForScript(value: unknown): Markup {
  return new Markup(
    JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
  );
}

export interface PageOptions {
  title: string;
  body: Markup;
  head?: Markup;
  lang?: string;
}

/** The shared page frame: one stylesheet for the platform's own pages. */
export function page({ title, body, head, lang = 'en' }: PageOptions): string {
  return `<!doctype html>${html`<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/assets/cardport.css">${head}</head><body>${body}</body></html>`}`;
}
