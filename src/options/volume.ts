// --volume: the cloud volume a disk is, as its provider publishes it, so a
// run can forecast its burst credits. Each preset carries the provider's own
// figures (cited beside it); `custom:` takes any bucket.
import { parseCount, parseSize } from './units.js';

/** A volume's IOPS model: baseline, burst, and the credit bucket (0: no credits, the baseline is the ceiling). */
export interface VolumeModel {
  /** The spec as given. */
  spec: string;
  kind: 'gp2' | 'gp3' | 'io1' | 'io2' | 'st1' | 'sc1' | 'azure' | 'custom';
  baselineIops: number;
  burstIops: number;
  creditsFull: number;
  /** A hard disk (st1, sc1): throughput-credited, unsuitable for etcd's small synced writes. */
  hdd: boolean;
  /** Where the figures come from. */
  source: string;
}

export const VOLUME_FORMS =
  'gp2:SIZE (e.g. gp2:20GiB), gp3[:IOPS], io1:IOPS, io2:IOPS, st1, sc1, azure-p1 ... azure-p20, or ' +
  'custom:baseline=N,burst=N,credits=N';

const EBS = 'Amazon EBS volume types (docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html)';
const AZURE = 'Azure managed disks, Premium SSD bursting (learn.microsoft.com/azure/virtual-machines/disk-bursting)';

/** Azure Premium SSD baselines (IOPS) of the tiers that burst on credits (up to 512 GiB). */
const AZURE_BASELINE: Record<string, number> = { 1: 120, 2: 120, 3: 120, 4: 120, 6: 240, 10: 500, 15: 1100, 20: 2300 };
/** A full Azure bucket lasts 30 minutes at the full burst of 3,500 IOPS. */
const AZURE_BURST = 3500;

function gp2(sizeText: string, spec: string): VolumeModel | null {
  const bytes = parseSize(sizeText);
  if (bytes === null || bytes < 1024 ** 3) return null;
  const gib = bytes / 1024 ** 3;
  // 3 IOPS per GiB, at least 100 and at most 16,000; volumes under 1 TiB burst to 3,000 on 5.4 million credits.
  const baselineIops = Math.min(16_000, Math.max(100, Math.floor(3 * gib)));
  const bursts = gib < 1024 && baselineIops < 3000;
  return {
    spec,
    kind: 'gp2',
    baselineIops,
    burstIops: bursts ? 3000 : baselineIops,
    creditsFull: bursts ? 5_400_000 : 0,
    hdd: false,
    source: `${EBS}: gp2, 3 IOPS per GiB (100 to 16,000), bursts to 3,000 on 5.4 million I/O credits`,
  };
}

function provisioned(kind: 'gp3' | 'io1' | 'io2', iops: number, spec: string, words: string): VolumeModel {
  return { spec, kind, baselineIops: iops, burstIops: iops, creditsFull: 0, hdd: false, source: `${EBS}: ${words}` };
}

function custom(body: string, spec: string): VolumeModel | null {
  const v: Record<string, number> = {};
  for (const part of body.split(',')) {
    const [k, n] = part.split('=');
    const count = n === undefined ? null : parseCount(n);
    if (!k || count === null || !['baseline', 'burst', 'credits'].includes(k) || k in v) return null;
    v[k] = count;
  }
  const { baseline, burst, credits } = v;
  if (baseline === undefined || baseline <= 0) return null;
  const top = burst ?? baseline;
  if (top < baseline) return null;
  return {
    spec,
    kind: 'custom',
    baselineIops: baseline,
    burstIops: top,
    creditsFull: credits ?? 0,
    hdd: false,
    source: 'the bucket given with --volume custom:',
  };
}

/** The model of a --volume spec; null when it is none of VOLUME_FORMS. */
export function parseVolume(spec: string): VolumeModel | null {
  const [kind, arg, ...rest] = spec.trim().toLowerCase().split(':');
  if (rest.length > 0) return null;
  const iops = (lo: number, hi: number) => {
    const n = arg === undefined ? null : parseCount(arg);
    return n !== null && n >= lo && n <= hi ? n : null;
  };
  switch (kind) {
    case 'gp2':
      return arg === undefined ? null : gp2(arg, spec);
    case 'gp3': {
      const n = arg === undefined ? 3000 : iops(3000, 16_000);
      return n === null
        ? null
        : provisioned('gp3', n, spec, 'gp3, 3,000 IOPS baseline at any size, to 16,000; no credits');
    }
    case 'io1':
    case 'io2': {
      const n = iops(100, 256_000);
      return n === null ? null : provisioned(kind, n, spec, `${kind}, provisioned IOPS; no credits`);
    }
    case 'st1':
    case 'sc1':
      if (arg !== undefined) return null;
      return {
        spec,
        kind,
        baselineIops: kind === 'st1' ? 500 : 250,
        burstIops: kind === 'st1' ? 500 : 250,
        creditsFull: 0,
        hdd: true,
        source: `${EBS}: ${kind} is a hard disk with throughput credits, at most ${kind === 'st1' ? 500 : 250} IOPS`,
      };
    case 'custom':
      return arg === undefined ? null : custom(arg, spec);
    default: {
      const tier = /^azure-p(\d+)$/.exec(kind ?? '')?.[1];
      const baselineIops = tier === undefined ? undefined : AZURE_BASELINE[tier];
      if (baselineIops === undefined || arg !== undefined) return null;
      return {
        spec,
        kind: 'azure',
        baselineIops,
        burstIops: AZURE_BURST,
        creditsFull: (AZURE_BURST - baselineIops) * 30 * 60,
        hdd: false,
        source: `${AZURE}: P${tier}, ${baselineIops} IOPS baseline, bursts to 3,500 for 30 minutes on a full bucket`,
      };
    }
  }
}

/** A cloud volume whose type the device does not tell: the words that ask for --volume; null otherwise. */
export function volumeHint(device: { physical: { model: string | null; interface: string }[] } | null): string | null {
  const cloud = device?.physical.find((p) => p.interface === 'network (cloud block storage)');
  if (!cloud) return null;
  return (
    `the device is a cloud volume (${cloud.model?.trim() ?? 'cloud block storage'}) whose type cannot be seen from ` +
    'here: pass --volume (e.g. gp2:100GiB, gp3, azure-p10) to forecast its burst credits'
  );
}
