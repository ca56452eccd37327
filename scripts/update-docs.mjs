#!/usr/bin/env node
// npm run docs: rewrites the generated options tables in docs/options.md from the option table, and the
// metric table in docs/etcd-versions.md from src/etcd/metric-names.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { COMMAND_OPTION_KEYS } from '../dist/src/options/table.js';
import { optionsMarkdown, readmeMarkers } from '../dist/src/options/markdown-table.js';
import { METRICS_MARKERS, metricsMarkdown } from '../dist/src/etcd/metric-names.js';

const path = new URL('../docs/options.md', import.meta.url);
let text = readFileSync(path, 'utf8');
for (const [command, keys] of Object.entries(COMMAND_OPTION_KEYS)) {
  const { begin, end } = readmeMarkers(command);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`docs/options.md lacks the ${command} options markers`);
  text = `${text.slice(0, start + begin.length)}\n${optionsMarkdown(keys, command)}\n${text.slice(stop)}`;
}
writeFileSync(path, text);

const versions = new URL('../docs/etcd-versions.md', import.meta.url);
const doc = readFileSync(versions, 'utf8');
const [begin, end] = METRICS_MARKERS;
const a = doc.indexOf(begin);
const b = doc.indexOf(end);
if (a < 0 || b < a) throw new Error('docs/etcd-versions.md lacks the metric table markers');
writeFileSync(versions, `${doc.slice(0, a + begin.length)}\n${metricsMarkdown()}\n${doc.slice(b)}`);
