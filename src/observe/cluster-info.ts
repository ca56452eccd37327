// The cluster as its members describe it, read once at the start of an
// observation: the member list (ids, names, URLs), each member's status
// (version, who it thinks leads, db size, raft term) and the active alarms.
import type { ConnectionOptions } from '../etcd/connection.js';
import { openClient } from '../etcd/connection.js';

export interface MemberInfo {
  /** The member id in hex, as etcd's logs and the peer RTT metric's "To" label write it. */
  id: string;
  name: string;
  clientUrls: string[];
  peerUrls: string[];
  version: string | null;
  isLeader: boolean;
  dbSizeBytes: number | null;
  raftTerm: number | null;
  /** Why the member's status could not be read. */
  statusError?: string;
}

export interface ClusterInfo {
  clusterId: string;
  members: MemberInfo[];
  /** The leader's id, as the members reporting it agree (null: none answered, or no leader). */
  leaderId: string | null;
  /** Active alarms (NOSPACE: the db reached its quota; CORRUPT: a corruption check failed). */
  alarms: { memberId: string; alarm: string }[];
}

const hex = (id: string | number) => BigInt(id).toString(16);

/** Reads the member list, each member's status and the alarms. */
export async function readCluster(conn: ConnectionOptions): Promise<ClusterInfo> {
  const client = openClient(conn);
  try {
    const list = await client.cluster.memberList({});
    const alarms = await client.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' });
    const members = await Promise.all(
      list.members.map(async (m): Promise<MemberInfo> => {
        const info: MemberInfo = {
          id: hex(m.ID),
          name: m.name,
          clientUrls: m.clientURLs,
          peerUrls: m.peerURLs,
          version: null,
          isLeader: false,
          dbSizeBytes: null,
          raftTerm: null,
        };
        if (m.clientURLs.length === 0) return { ...info, statusError: 'the member has not started (no client URL)' };
        const one = openClient({ ...conn, endpoints: [m.clientURLs[0]!] });
        try {
          const s = await one.maintenance.status();
          return {
            ...info,
            version: s.version,
            isLeader: hex(s.leader) === info.id,
            dbSizeBytes: Number(s.dbSize),
            raftTerm: Number(s.raftTerm),
          };
        } catch (e) {
          return { ...info, statusError: (e as Error).message };
        } finally {
          one.close();
        }
      }),
    );
    const leader = members.find((m) => m.isLeader);
    return {
      clusterId: hex(list.header.cluster_id),
      members,
      leaderId: leader ? leader.id : null,
      alarms: alarms.alarms.map((a) => ({ memberId: hex(a.memberID), alarm: String(a.alarm) })),
    };
  } finally {
    client.close();
  }
}
