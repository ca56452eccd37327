// A DNS domain as --discovery-srv takes it: labels of letters, digits and
// dashes, at most 253 characters, an optional final dot.

const DOMAIN =
  /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

/** Whether a --discovery-srv value is a domain name. */
export function isDomain(s: string): boolean {
  return DOMAIN.test(s);
}
