// The kube workload's mix: relative weights of creates, updates, deletes,
// events and consistent LISTs.

export type KubeMix = { create: number; update: number; delete: number; event: number; list: number };

/** Parses "create:10,update:60,delete:10,event:20[,list:N]"; null when malformed. */
export function parseMix(text: string): KubeMix | null {
  const mix = { create: 0, update: 0, delete: 0, event: 0, list: 0 };
  for (const part of text.split(',')) {
    const m = /^\s*(create|update|delete|event|list)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!m) return null;
    mix[m[1] as keyof typeof mix] = Number(m[2]);
  }
  return Object.values(mix).some((w) => w > 0) ? mix : null;
}
