// Asks for a password at the terminal (before a dashboard takes it), for
// --user NAME without one, as etcdctl does.
import { createInterface } from 'node:readline/promises';
import { parseUser } from '../etcd/connect.js';

async function askPassword(user: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(`password for ${user}: `);
  } finally {
    rl.close();
  }
}

/**
 * Completes `--user NAME` to `NAME:PASSWORD` by asking at the terminal, before the dashboard takes it. Without
 * a terminal the value is left as it is (the connection then fails with etcd's own authentication error).
 */
export async function askMissingPassword(values: { user: string }): Promise<void> {
  const user = parseUser(values.user);
  if (user && user.password === null && process.stdin.isTTY)
    values.user = `${user.username}:${await askPassword(user.username)}`;
}
