// A writer's system calls on its one file, from strace: each process's file
// descriptors followed through open and close, and every call on the file
// reduced to what decides the I/O (the kind, sizes, offsets, fadvise advice,
// the open flags that change I/O), so two tools' traces can be compared.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CALLS = 'openat,open,close,fallocate,fadvise64,lseek,write,pwrite64,fdatasync,fsync,ftruncate,unlink';

/** Runs `argv` under strace -f; returns the raw trace text and the command's exit code. */
export function strace(argv: string[], out: string): { code: number | null; text: string; stderr: string } {
  const r = spawnSync('strace', ['-f', '-qq', '-s', '0', '-o', out, '-e', `trace=${CALLS}`, ...argv], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: r.status, text: readFileSync(out, 'utf8'), stderr: r.stderr };
}

/** The open flags that change I/O, in a fixed order (O_EXCL and O_CLOEXEC change none). */
function flagsOf(s: string): string {
  const f = s.split('|');
  const keep = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_CREAT', 'O_TRUNC', 'O_DIRECT', 'O_DSYNC', 'O_SYNC', 'O_APPEND'];
  return keep.filter((k) => f.includes(k)).join('|');
}

/**
 * The calls on the file whose path ends with `suffix`, in order, as tokens: "unlink", "open O_RDWR|O_CREAT 0600",
 * "fallocate 0 0 46000", "fadvise 0 46000 POSIX_FADV_DONTNEED", "write 4600 2300" (offset, size), "fdatasync",
 * "lseek 0 SEEK_SET", "close".
 */
export function fileCalls(trace: string, suffix: string): string[] {
  const fds = new Map<string, number>(); // "pid fd" -> file position
  const out: string[] = [];
  // A call another thread interrupted: its start ("<unfinished ...>"), completed by its "<... resumed>" line.
  const unfinished = new Map<string, { call: string; argText: string }>();
  const lines: [string, string, string, string | undefined][] = [];
  for (const line of trace.split('\n')) {
    const resumed = /^(\d+)\s+<\.\.\. (\w+) resumed>(.*?)\) += (-?\d+)/.exec(line);
    if (resumed) {
      const start = unfinished.get(resumed[1]!);
      unfinished.delete(resumed[1]!);
      if (start) lines.push([resumed[1]!, start.call, start.argText + resumed[3]!, resumed[4]]);
      continue;
    }
    const m = /^(\d+)\s+(\w+)\((.*?)(?:\) += (-?\d+).*| <unfinished \.\.\.>)$/.exec(line);
    if (!m) continue;
    if (line.endsWith('<unfinished ...>')) unfinished.set(m[1]!, { call: m[2]!, argText: m[3]! });
    else lines.push([m[1]!, m[2]!, m[3]!, m[4]]);
  }
  for (const [pid, call, argText, ret] of lines) {
    const args = argText.split(', ');
    if (call === 'unlink' || call === 'openat' || call === 'open') {
      const path = (call === 'openat' ? args[1] : args[0])?.replace(/^"|"$/g, '') ?? '';
      if (!path.endsWith(suffix)) continue;
      if (call === 'unlink') {
        out.push('unlink');
        continue;
      }
      const flags = call === 'openat' ? args[2]! : args[1]!;
      const mode = call === 'openat' ? args[3] : args[2];
      out.push(`open ${flagsOf(flags)}${mode ? ` ${mode}` : ''}`);
      if (ret !== undefined && Number(ret) >= 0) fds.set(`${pid} ${ret}`, 0);
      continue;
    }
    const key = `${pid} ${args[0]}`;
    const pos = fds.get(key);
    if (pos === undefined) continue;
    switch (call) {
      case 'close':
        fds.delete(key);
        out.push('close');
        break;
      case 'write': {
        const n = Number(args[2] ?? args.at(-1));
        out.push(`write ${pos} ${n}`);
        fds.set(key, pos + n);
        break;
      }
      case 'lseek':
        fds.set(key, Number(args[1]));
        out.push(`lseek ${args[1]} ${args[2]}`);
        break;
      case 'fadvise64':
        out.push(`fadvise ${args[1]} ${args[2]} ${args[3]}`);
        break;
      case 'fallocate':
        out.push(`fallocate ${args[1]} ${args[2]} ${args[3]}`);
        break;
      case 'ftruncate':
        out.push(`ftruncate ${args[1]}`);
        break;
      default:
        out.push(call);
    }
  }
  return out;
}

/**
 * A trace cut where it repeats: the calls before the first write (layout and open), then each pass over the file
 * (from one write at offset 0 to the next), then what comes after the last write (the close). Time-based runs differ
 * only in how many passes they make, and how far the last one got.
 */
export function passesOf(calls: string[]): { prologue: string[]; passes: string[][]; epilogue: string[] } {
  const firstWrite = calls.findIndex((c) => c.startsWith('write '));
  let lastIo = calls.length - 1;
  while (lastIo >= 0 && !(calls[lastIo]!.startsWith('write ') || calls[lastIo] === 'fdatasync')) lastIo--;
  const prologue = calls.slice(0, firstWrite);
  const body = calls.slice(firstWrite, lastIo + 1);
  const passes: string[][] = [];
  for (const c of body) {
    // A pass begins with the write at offset 0, or with what fio does before it on a wrap (cache dropped, seek).
    if (c === 'write 0 2300' && passes.length > 0 && passes.at(-1)!.some((x) => x.startsWith('write '))) {
      const prev = passes.at(-1)!;
      const wrap: string[] = [];
      while (prev.length > 0 && !/^(write |fdatasync|fsync)/.test(prev.at(-1)!)) wrap.unshift(prev.pop()!);
      passes.push([...wrap, c]);
    } else if (passes.length === 0) passes.push([c]);
    else passes.at(-1)!.push(c);
  }
  return { prologue, passes, epilogue: calls.slice(lastIo + 1) };
}
