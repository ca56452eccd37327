// The fields every result starts with, whatever ran: which tool, which run,
// when, whether it finished, and how it was asked for.

export interface RunHeader<Schema extends string> {
  schema: Schema;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** False when the run was interrupted or failed; `incompleteReason` says why. */
  complete: boolean;
  incompleteReason?: string;
  /** The command line (passwords blanked). */
  argv: string[];
  profile: { name: string; file: string; description: string } | null;
}
