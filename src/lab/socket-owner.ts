// Which process dialed a TCP connection on 127.0.0.1, from the kernel's own
// tables: /proc/net/tcp gives the socket's inode for the (client port, server
// port) pair, and a process's /proc/PID/fd links name the sockets it holds.
// The lab's proxy uses it to tell which member opened a peer connection.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const hexPort = (p: number) => p.toString(16).toUpperCase().padStart(4, '0');

/** The inode of the client end of 127.0.0.1:clientPort -> 127.0.0.1:serverPort; null when not found. */
export function socketInode(clientPort: number, serverPort: number, table = '/proc/net/tcp'): string | null {
  let text: string;
  try {
    text = readFileSync(table, 'utf8');
  } catch {
    return null;
  }
  const local = `0100007F:${hexPort(clientPort)}`;
  const remote = `0100007F:${hexPort(serverPort)}`;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[1] === local && f[2] === remote) return f[9] ?? null;
  }
  return null;
}

/** Whether process `pid` holds the socket with this inode. */
export function holdsSocket(pid: number, inode: string): boolean {
  const want = `socket:[${inode}]`;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === want) return true;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return false;
  }
  return false;
}

/** The index in `pids` of the process that dialed clientPort -> serverPort; null when none of them did. */
export function dialerOf(clientPort: number, serverPort: number, pids: number[]): number | null {
  const inode = socketInode(clientPort, serverPort);
  if (inode === null) return null;
  const i = pids.findIndex((pid) => holdsSocket(pid, inode));
  return i === -1 ? null : i;
}
