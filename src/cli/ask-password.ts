// Asks for a password at the terminal (before a dashboard takes it), for
// --user NAME without one, as etcdctl does.
import { createInterface } from 'node:readline/promises';

export async function askPassword(user: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await rl.question(`password for ${user}: `);
  } finally {
    rl.close();
  }
}
