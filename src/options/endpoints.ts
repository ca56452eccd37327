// Endpoints as etcdctl takes them: URLs (http:// or https://), or bare
// host:port (what runbooks and ETCDCTL_ENDPOINTS usually hold), which etcdctl
// dials with TLS when TLS files are given and in plain text otherwise.
// Hosts may be names, IPv4 addresses or [IPv6] addresses.

const HOST = String.raw`(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)`;
const URL_FORM = new RegExp(String.raw`^https?://${HOST}(?::\d{1,5})?(?:/[^\s,]*)?$`);
const BARE_FORM = new RegExp(String.raw`^${HOST}:\d{1,5}$`);

/** Whether one endpoint is in a form etcdctl accepts. */
export function isEndpoint(e: string): boolean {
  return URL_FORM.test(e) || BARE_FORM.test(e);
}

/** Whether a comma-separated list holds only such endpoints. */
export function isEndpointList(s: string): boolean {
  return s !== '' && s.split(',').every(isEndpoint);
}

/** The endpoints as URLs: a bare host:port gets https:// when TLS is configured, http:// otherwise (as etcdctl). */
export function endpointUrls(list: string, tls: boolean): string[] {
  if (list === '') return [];
  return list.split(',').map((e) => (URL_FORM.test(e) ? e : `${tls ? 'https' : 'http'}://${e}`));
}
