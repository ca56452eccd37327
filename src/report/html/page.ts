// The shell every HTML page shares: the verdict in large type with its reason,
// a line of where and when, then the sections. The style sheet is inline, and
// nothing else is loaded.
import { esc } from './html-text.js';
import { PAGE_STYLE } from './page-style.js';

export interface PageHead {
  /** The browser tab's title. */
  title: string;
  /** "PASS, grade A", "FAIL, grade D", "INCOMPLETE". */
  headline: string;
  /** The letter for the headline's colour ("-" for none). */
  letter: string;
  /** The verdict's reason. */
  reason: string;
  meta: string[];
}

export function htmlPage(head: PageHead, sections: string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(head.title)}</title><style>${PAGE_STYLE}</style></head>`,
    `<body><header><p class="verdict grade-${esc(head.letter)}">${esc(head.headline)}</p><p>${esc(head.reason)}</p>`,
    `<p class="meta">${head.meta.map(esc).join(' · ')}</p></header>`,
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}

/** A titled section. */
export function section(title: string, ...body: string[]): string {
  return `<section><h2>${esc(title)}</h2>${body.join('')}</section>`;
}

/** The headline of a graded run. */
export function headlineOf(complete: boolean, passed: boolean, letter: string | null): string {
  const l = letter ?? '-';
  if (!complete) return 'INCOMPLETE';
  if (letter === null) return 'NO VERDICT';
  return passed ? `PASS, grade ${l}` : `FAIL, grade ${l}`;
}
