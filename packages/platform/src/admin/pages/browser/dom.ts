// The dashboard's DOM helpers (browser code, bundled into dashboard.browser.ts). Every value
// reaches the page through text nodes, never as markup: partner names and answers are untrusted.

import { $, type Attrs, el } from '../../../core/page-dom.ts';

export { $, el };

/** The value of the input, select or textarea with this id. */
export function fieldValue(id: string): string {
  return $<HTMLInputElement>(id).value;
}

/** The element an event's handler is attached to (buttons disable themselves while they work). */
export function target(e: Event): HTMLButtonElement {
  return e.currentTarget as HTMLButtonElement;
}

/** 2026-11-27 14:02:03Z: the console's timestamps, in UTC to the second. */
export function time(ms: number | null | undefined): string {
  return typeof ms === 'number'
    ? new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '';
}

/** 14:02:03: the time of day of a timeline line. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** 172800000 ms reads "2 d", 5400000 "1 h 30 min": the units people move the clock by. */
export function duration(ms: number): string {
  let s = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  for (const [unit, size] of units) {
    const n = Math.floor(s / size);
    if (n) parts.push(`${n} ${unit}`);
    s -= n * size;
  }
  return (ms < 0 ? '-' : '') + (parts.join(' ') || '0 s');
}

export function copyButton(value: string): HTMLElement {
  return el(
    'button',
    {
      type: 'button',
      class: 'copy',
      title: 'Copy',
      'aria-label': `Copy ${value}`,
      onclick: async (e) => {
        e.stopPropagation();
        const button = target(e);
        try {
          await navigator.clipboard.writeText(value);
          button.textContent = 'copied';
        } catch {
          button.textContent = '!';
        }
        setTimeout(() => {
          button.textContent = 'copy';
        }, 1200);
      },
    },
    'copy',
  );
}

export function idCell(value: string | undefined): HTMLElement {
  if (!value) return el('td', {}, '');
  return el('td', {}, el('code', {}, value), copyButton(value));
}

/** Names of the partners listed so far, for cells that only know the id. */
export const partnerNames = new Map<string, string>();

export function partnerCell(id: string | null | undefined, name?: string | null): HTMLElement {
  if (!id) return el('td', { class: 'note' }, 'unknown');
  return el(
    'td',
    {},
    name || partnerNames.get(id) || '',
    el('div', { class: 'note' }, el('code', {}, id), copyButton(id)),
  );
}

export function table(head: string[], rows: Node[], bodyProps: Attrs = {}): HTMLElement {
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
      el('tbody', bodyProps, ...rows),
    ),
  );
}
