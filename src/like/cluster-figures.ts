// What `qualify --like` reads from a cluster's history: its write rate (the
// leader's 1-minute rates of committed Raft entries), what the store applied
// (puts, deletes), its key count and the database in use. Each figure keeps
// the metric it rests on and the query (or the arithmetic) it came from, so a
// reviewer can run it again.

/** One figure from the cluster's history and where it came from. */
export interface LikeFigure {
  id:
    | 'write-rate-peak'
    | 'write-rate-p99'
    | 'write-rate-mean'
    | 'puts'
    | 'deletes'
    | 'txns'
    | 'lease-grants'
    | 'keys-gained'
    | 'keys'
    | 'db-in-use';
  value: number | null;
  unit: 'writes/s' | 'ops' | 'keys' | 'bytes';
  /** The metric it rests on. */
  metric: string;
  /** The PromQL instant query, or how it was worked out from an observe report. */
  query: string;
}

export type LikeSource =
  | { kind: 'prometheus'; url: string }
  | { kind: 'observe-report'; path: string; runId: string | null };

/** The history read, before any sizing. */
export interface ClusterFigures {
  source: LikeSource;
  /** How the cluster is named in words: the Prometheus host, or the members the report observed. */
  name: string;
  /** The window read: its length, its end (ms since the epoch) and the spacing of the 1-minute rates in it. */
  window: { seconds: number; endMs: number; resolutionSeconds: number };
  /** How many 1-minute rates the window held. */
  ratePoints: number;
  /** The etcd members (instances) seen. */
  members: number;
  figures: LikeFigure[];
}

/** At least this many 1-minute rates, or the window is too thin to size a run from. */
export const MIN_RATE_POINTS = 5;

export function figureOf(c: ClusterFigures, id: LikeFigure['id']): number | null {
  return c.figures.find((f) => f.id === id)?.value ?? null;
}
