// The fields every result starts with, whatever ran: which tool, which run,
// when, whether it finished, and how it was asked for.
import { TOOL } from '../core/version.js';

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

/** The header fields of a result, from what every runner knows at its end. */
export function runHeader<Schema extends string>(
  schema: Schema,
  h: {
    runId: string;
    startedAt: Date;
    incompleteReason: string | undefined;
    argv: string[];
    profile: { name: string; file: string; description: string } | null;
  },
): RunHeader<Schema> {
  return {
    schema,
    tool: { ...TOOL },
    runId: h.runId,
    startedAt: h.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    complete: h.incompleteReason === undefined,
    ...(h.incompleteReason !== undefined ? { incompleteReason: h.incompleteReason } : {}),
    argv: h.argv,
    profile: h.profile ? { name: h.profile.name, file: h.profile.file, description: h.profile.description } : null,
  };
}
