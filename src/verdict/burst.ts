// The burst-credit forecast as a report carries it: a volume's bucket against
// the device writes a run issued (computed in grade/burst-forecast.ts).

export interface BurstForecast {
  volume: string;
  model: { baselineIops: number; burstIops: number; creditsFull: number };
  /** Device writes per second, and where they were measured; null when nothing measured them. */
  demand: { writeIops: number; source: string } | null;
  /** From a full bucket; null when sustainable (or no demand), 0 when the demand exceeds the burst. */
  minutesToEmpty: number | null;
  /** From empty, at the baseline while idle; null without credits. */
  minutesToRefill: number | null;
  sustainable: boolean | null;
  source: string;
}
