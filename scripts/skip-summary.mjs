// The end of a test run: the tests skipped, grouped by why (what the machine
// lacks: needs() in test/helpers), and the one command that installs it all.
/** The skipped tests in a TAP stream, grouped by reason: [reason, test names][], the largest group first. */
export function skipsIn(tap) {
  const groups = new Map();
  for (const m of tap.matchAll(/^\s*ok \d+ - (.*?) # SKIP ?(.*)$/gm)) {
    const reason = m[2] || '(no reason given)';
    groups.set(reason, [...(groups.get(reason) ?? []), m[1]]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

/** The lines the run ends with: how many were skipped for what, and how to get it. */
export function summary(groups) {
  const total = groups.reduce((a, [, names]) => a + names.length, 0);
  if (total === 0) return '# nothing skipped\n';
  const lines = [`# skipped ${total} (tests and suites), by what this machine lacks:`];
  for (const [reason, names] of groups) lines.push(`#   ${String(names.length).padStart(3)}  ${reason}`);
  lines.push(
    '# to run them: npm run setup (as root on Debian or Ubuntu: installs every package the tests need with',
    '#   apt-get; elsewhere it lists them), then npm test again',
  );
  return `${lines.join('\n')}\n`;
}
