// Puts leadership where the lab wants it: on the slowed member (--slow leader)
// or away from it (--slow follower), with etcd's MoveLeader call to the
// current leader, then reads back who leads.
import { EnvironmentError } from '../core/errors.js';
import { openClient } from '../etcd/connection.js';
import type { LocalCluster } from '../etcd/local-etcd.js';

const plain = (url: string) => ({
  endpoints: [url],
  cacert: '',
  cert: '',
  key: '',
  auth: null,
  dialTimeoutMs: 5000,
  requestTimeoutMs: 30_000,
  insecureSkipTlsVerify: false,
});

/** Each member's id and the leader it reports. */
async function statuses(c: LocalCluster): Promise<{ name: string; url: string; id: string; leader: string }[]> {
  return Promise.all(
    c.members.map(async (m) => {
      const client = openClient(plain(m.clientUrl));
      try {
        const s = await client.maintenance.status();
        return { name: m.name, url: m.clientUrl, id: String(s.header.member_id), leader: String(s.leader) };
      } finally {
        client.close();
      }
    }),
  );
}

/**
 * Moves leadership to member `want` (by index) unless it leads already, or away from it when `away`; returns the
 * leader's name.
 */
export async function steerLeader(c: LocalCluster, want: number, away: boolean): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const st = await statuses(c);
    const leader = st.find((s) => s.id === st[want]!.leader) ?? st.find((s) => s.id === s.leader);
    if (!leader) throw new EnvironmentError('the local etcd reports no leader');
    const leads = leader.name === c.members[want]!.name;
    if (leads !== away) return leader.name;
    const target = away ? st.find((s) => s.name !== c.members[want]!.name)! : st[want]!;
    const client = openClient(plain(leader.url));
    try {
      await client.maintenance.moveLeader({ targetID: target.id });
    } catch {
      // The leader changed under us; look again.
    } finally {
      client.close();
    }
  }
  throw new EnvironmentError(`could not move the leadership ${away ? 'away from' : 'to'} ${c.members[want]!.name}`);
}
