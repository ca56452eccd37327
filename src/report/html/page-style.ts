// The HTML report's style sheet, inline in every page: a colour-blind-safe
// palette (Okabe-Ito), dark mode from the reader's setting, and print rules
// (no dark background, details opened, charts kept whole).
export const PAGE_STYLE = `
:root { --fg: #1a1a1a; --bg: #ffffff; --muted: #5a5a5a; --grid: #d8d8d8; --pass: #009e73; --fail: #d55e00;
  --warn: #e69f00; --other: #0072b2; --p50: #0072b2; --p99: #d55e00; --max: #7f7f7f; --limit: #000000; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #161616; --muted: #a8a8a8; --grid: #3a3a3a;
  --p50: #56b4e9; --limit: #ffffff; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); max-width: 70rem;
  margin: 1rem auto; padding: 0 1rem; }
.verdict { font-size: 2.4rem; font-weight: 700; margin: 0.2rem 0; }
.grade-A, .grade-B, .grade-C { color: var(--pass); } .grade-D, .grade-F, .grade-- { color: var(--fail); }
.meta { color: var(--muted); }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid var(--grid); padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
.status-pass td:first-child { color: var(--pass); font-weight: 600; }
.status-fail td:first-child { color: var(--fail); font-weight: 700; }
.status-warn td:first-child, .status-inconclusive td:first-child { color: var(--warn); font-weight: 600; }
.status-not-run td:first-child { color: var(--muted); }
svg.chart { width: 100%; max-width: 48rem; height: auto; display: block; }
svg .grid { stroke: var(--grid); stroke-width: 1; } svg .axis { stroke: var(--fg); stroke-width: 1; }
svg .tick, svg .label, svg .legend, svg .limit-label { fill: var(--fg); font-size: 11px; }
svg .legend tspan { stroke: none; }
svg .series { fill: none; stroke-width: 1.6; } svg .dashed { stroke-dasharray: 4 3; }
svg .c-p50 { stroke: var(--p50); fill: var(--p50); } svg .c-p99 { stroke: var(--p99); fill: var(--p99); }
svg .c-max { stroke: var(--max); fill: var(--max); } svg path.c-p50, svg path.c-p99, svg path.c-max { fill: none; }
svg .limit { stroke: var(--limit); stroke-width: 1.2; stroke-dasharray: 6 4; }
svg .bar { fill: var(--p50); } svg .bar.over { fill: var(--fail); }
pre { white-space: pre-wrap; background: color-mix(in srgb, var(--fg) 7%, transparent); padding: 0.5rem; }
@media print { :root { --fg: #000; --bg: #fff; } details > * { display: block; } section { break-inside: avoid; } }
`;
