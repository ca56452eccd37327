// The HTML report's style sheet, inline in every page: a colour-blind-safe
// palette (Okabe-Ito), dark mode from the reader's setting, and print rules
// (no dark background, details opened, charts kept whole).
export const PAGE_STYLE = `
:root { --fg: #1a1a1a; --bg: #ffffff; --muted: #5a5a5a; --grid: #d8d8d8; --pass: #009e73; --fail: #d55e00;
  --warn: #e69f00; --other: #0072b2; --p50: #0072b2; --p99: #d55e00; --max: #7f7f7f; --limit: #000000;
  --s0: #0072b2; --s1: #e69f00; --s2: #009e73; --s3: #cc79a7; --s4: #56b4e9; --s5: #000000; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #161616; --muted: #a8a8a8; --grid: #3a3a3a;
  --p50: #56b4e9; --limit: #ffffff; --s0: #56b4e9; --s5: #f0e442; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); max-width: 70rem;
  margin: 1rem auto; padding: 0 1rem; }
.verdict { font-size: 2.4rem; font-weight: 700; margin: 0.2rem 0; }
.grade-A, .grade-B, .grade-C, .grade-pass { color: var(--pass); }
.grade-D, .grade-F, .grade--, .grade-fail { color: var(--fail); }
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
svg .c-s0 .bar, svg .c-before .bar { fill: var(--s0); } svg .c-s1 .bar, svg .c-after .bar { fill: var(--s1); }
svg .c-s2 .bar { fill: var(--s2); } svg .c-s3 .bar { fill: var(--s3); } svg .c-s4 .bar { fill: var(--s4); }
svg .c-s5 .bar { fill: var(--s5); } svg .c-s0 .bar.over { fill: var(--fail); }
svg path.c-s0, svg path.c-before { stroke: var(--s0); } svg path.c-s1, svg path.c-after { stroke: var(--s1); }
svg path.c-s2 { stroke: var(--s2); } svg path.c-s3 { stroke: var(--s3); } svg path.c-s4 { stroke: var(--s4); }
svg path.c-s5 { stroke: var(--s5); }
svg tspan.c-s0, svg tspan.c-before { fill: var(--s0); } svg tspan.c-s1, svg tspan.c-after { fill: var(--s1); }
svg tspan.c-s2 { fill: var(--s2); } svg tspan.c-s3 { fill: var(--s3); } svg tspan.c-s4 { fill: var(--s4); }
svg tspan.c-s5 { fill: var(--s5); }
svg .band { fill: var(--warn); fill-opacity: 0.18; } svg .band-label { fill: var(--fg); font-size: 10px; }
svg .mark { stroke: none; } svg .m-cut { fill: var(--muted); } svg .m-stall { fill: var(--fail); }
svg tspan.mark { fill: var(--fg); } svg tspan.m-stall { fill: var(--fail); } svg tspan.band-key { fill: var(--warn); }
svg .pct { stroke: var(--fg); stroke-width: 1; stroke-dasharray: 2 3; } svg .pct-1 { stroke: var(--s1); }
svg .line-label { fill: var(--fg); font-size: 10px; }
pre { white-space: pre-wrap; background: color-mix(in srgb, var(--fg) 7%, transparent); padding: 0.5rem; }
@media print { :root { --fg: #000; --bg: #fff; } details > * { display: block; } section { break-inside: avoid; } }
h3 { font-size: 1.05rem; margin: 1rem 0 0.3rem; }
`;
