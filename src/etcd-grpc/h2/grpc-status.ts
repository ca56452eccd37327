// How a gRPC client reads a call's outcome from HTTP/2 (gRPC's "HTTP/2
// transport" and "status codes" documents): a non-200 HTTP status or a reset
// stream becomes a gRPC code, and grpc-message is percent-encoded.

/** grpc-message's percent-encoding undone (left as it is if it is not valid). */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const OF_HTTP: Record<string, number> = {
  '400': 13,
  '401': 16,
  '403': 7,
  '404': 12,
  '429': 14,
  '502': 14,
  '503': 14,
  '504': 14,
};

/** The gRPC code for an HTTP status other than 200: INTERNAL, UNAUTHENTICATED ... UNAVAILABLE, else UNKNOWN. */
export function codeOfHttp(httpStatus: string): number {
  return OF_HTTP[httpStatus] ?? 2;
}

const OF_RESET: Record<number, number> = { 7: 14, 8: 1, 11: 8, 12: 7 };

/** The gRPC code for an RST_STREAM error: REFUSED_STREAM -> UNAVAILABLE, CANCEL -> CANCELLED ..., else INTERNAL. */
export function codeOfReset(code: number): number {
  return OF_RESET[code] ?? 13;
}
