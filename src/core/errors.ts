// Typed errors the library throws; the CLI maps each to its exit code, so the
// exit-code contract (0 pass, 1 FAIL, 2 usage, 3 environment) lives in one place.

/** Bad input: an option's value, a profile, a refused directory. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly option?: string,
  ) {
    super(message);
  }
}

/** The environment failed us: permission, space, I/O error, etcd gone. Exit code 3. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A Node-style system error (`code`, `errno`, `syscall`, `path`), from fs or the addon. */
export interface SystemErrorLike extends Error {
  code: string;
  errno?: number;
  syscall?: string;
  path?: string;
  detail?: string;
}

/** True for errors shaped like Node's fs errors. */
export function isSystemError(e: unknown): e is SystemErrorLike {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

/** The process exit codes, a contract with scripts and pipelines. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  environment: 3,
  /** The run completed, but its main disk figure was limited by the host, the client or etcd: no disk verdict. */
  noVerdict: 4,
  /**
   * A fault of this tool (an error nothing caught: a bug), never a verdict on the disk: the run was stopped, cleaned
   * up and its report marked incomplete (EX_SOFTWARE of sysexits.h).
   */
  internal: 70,
} as const;

/** Whether an error is a fault of this tool's code rather than of its input or environment. */
export function isInternalFault(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;
}
