// The flags kubeadm gives a control-plane etcd beyond its addresses and
// certificates, as each etcd minor spells them (kubeadm's getEtcdCommand,
// cmd/kubeadm/app/phases/etcd/local.go). etcd 3.6 deprecated the
// --experimental-* names for plain names and feature gates, and 3.7 removed
// them: a launcher passing 3.5's spelling to 3.7 does not start.

/** "3.6" of "3.6.17"; null when the version cannot be read. */
export function minorOf(version: string): { major: number; minor: number } | null {
  const m = /^v?(\d+)\.(\d+)\./.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** Which spelling a version takes: 3.4 and older, 3.5, or 3.6 on. */
export type FlagEra = '3.4' | '3.5' | '3.6+';

export function flagEra(version: string): FlagEra | null {
  const v = minorOf(version);
  if (v?.major !== 3) return v && v.major > 3 ? '3.6+' : null;
  return v.minor <= 4 ? '3.4' : v.minor === 5 ? '3.5' : '3.6+';
}

/**
 * kubeadm's settings per era: a Raft log snapshot every 10,000 entries (3.4 and 3.5 default to 100,000), the data
 * checked against its peers before serving (3.5 on), and a watch progress notification every 5 s (the API server's
 * watch cache relies on it). A version we cannot read gets only the snapshot count, which every version accepts.
 */
export const KUBEADM_FLAGS: Record<FlagEra, readonly string[]> = {
  '3.4': ['--snapshot-count', '10000'],
  '3.5': [
    '--snapshot-count',
    '10000',
    '--experimental-initial-corrupt-check=true',
    '--experimental-watch-progress-notify-interval',
    '5s',
  ],
  '3.6+': [
    '--snapshot-count',
    '10000',
    '--feature-gates',
    'InitialCorruptCheck=true',
    '--watch-progress-notify-interval',
    '5s',
  ],
};

/** The flags for an etcd of this version (from `etcd --version`). */
export function kubeadmFlags(version: string): string[] {
  return [...KUBEADM_FLAGS[flagEra(version) ?? '3.4']];
}
