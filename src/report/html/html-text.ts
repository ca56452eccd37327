// Text helpers of the HTML pages: escaping, and milliseconds as the tables
// print them (three decimals, the same figures as the text reports).

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** ns as ms with three decimals; "-" for none. */
export const ms = (ns: number | null | undefined): string =>
  ns === null || ns === undefined ? '-' : (ns / 1e6).toFixed(3);

/** An axis label in ms without trailing zeros. */
export const msTick = (ns: number): string => ms(ns).replace(/\.?0+$/, '') || '0';

/** A table with a header row; cells are HTML already escaped by the caller. */
export function table(className: string, head: string[], rows: string[][]): string {
  return (
    `<table class="${className}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** A table folded under a summary line: the numbers behind a chart. */
export function behind(summary: string, tableHtml: string): string {
  return `<details><summary>${esc(summary)}</summary>${tableHtml}</details>`;
}
