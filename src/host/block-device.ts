// The block device behind a mount, read from sysfs: through partitions and
// device-mapper/md to the physical devices, with what each says about
// itself. A fact sysfs does not give is named in `unknown`, never guessed.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface PhysicalDevice {
  name: string;
  model: string | null;
  vendor: string | null;
  sizeBytes: number | null;
  /** As the kernel reports it; virtual disks often claim to rotate. */
  rotational: boolean | null;
  scheduler: string | null;
  writeCache: string | null;
  logicalBlockSize: number | null;
  physicalBlockSize: number | null;
  /**
   * From the device name and model: nvme, virtio, scsi/sata, xen, network (nbd, rbd, cloud block storage), md, loop.
   */
  interface: string;
}

export interface DeviceFacts {
  /** The device the filesystem is on (a partition, dm-N, md, or a whole disk). */
  name: string;
  /** The stack from it down to the physical devices, e.g. ["dm-0", "sda2", "sda"]. */
  stack: string[];
  physical: PhysicalDevice[];
  unknown: string[];
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

const num = (s: string | null) => (s === null || s === '' || Number.isNaN(Number(s)) ? null : Number(s));

function interfaceOf(name: string, model: string | null, vendor: string | null): string {
  if (/elastic block store|persistentdisk|persistent disk|virtual disk.*azure/i.test(model ?? ''))
    return 'network (cloud block storage)';
  // Azure's managed disks (and Hyper-V's) show as vendor Msft, model Virtual Disk.
  if (/^msft$/i.test(vendor?.trim() ?? '') && /virtual disk/i.test(model ?? '')) return 'network (cloud block storage)';
  if (name.startsWith('nvme')) return 'nvme';
  if (name.startsWith('vd')) return 'virtio';
  if (name.startsWith('xvd')) return 'xen';
  if (name.startsWith('nbd') || name.startsWith('rbd')) return 'network';
  if (name.startsWith('md')) return 'md';
  if (name.startsWith('loop')) return 'loop';
  if (name.startsWith('sd')) return vendor?.trim() === 'ATA' ? 'sata' : 'scsi/sata';
  return 'unknown';
}

function physical(name: string, unknown: string[], sys: string): PhysicalDevice {
  const q = (f: string) => read(`${sys}/block/${name}/queue/${f}`);
  const model = read(`${sys}/block/${name}/device/model`);
  const vendor = read(`${sys}/block/${name}/device/vendor`);
  const sectors = num(read(`${sys}/block/${name}/size`));
  const scheduler = q('scheduler');
  const d: PhysicalDevice = {
    name,
    model,
    vendor,
    sizeBytes: sectors === null ? null : sectors * 512,
    rotational: q('rotational') === null ? null : q('rotational') === '1',
    scheduler: scheduler === null ? null : (/\[(\S+)\]/.exec(scheduler)?.[1] ?? scheduler),
    writeCache: q('write_cache'),
    logicalBlockSize: num(q('logical_block_size')),
    physicalBlockSize: num(q('physical_block_size')),
    interface: interfaceOf(name, model, vendor),
  };
  for (const [k, v] of Object.entries(d)) if (v === null) unknown.push(`${name} ${k}`);
  return d;
}

/** "major:minor" of a device number (st_dev), split as glibc's gnu_dev_major / gnu_dev_minor do. */
export function majMinOf(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/** Resolves "major:minor" to its device stack and physical devices; null for a filesystem without a block device. */
export function deviceFacts(majMin: string, sys = '/sys'): DeviceFacts | null {
  const link = join(sys, 'dev', 'block', majMin);
  if (!existsSync(link)) return null;
  const unknown: string[] = [];
  const stack: string[] = [];
  const phys: PhysicalDevice[] = [];
  const walk = (devPath: string) => {
    const name = basename(devPath);
    stack.push(name);
    if (existsSync(join(devPath, 'partition'))) return walk(dirname(devPath));
    const slaves = join(devPath, 'slaves');
    const below = existsSync(slaves) ? readdirSync(slaves) : [];
    if (below.length > 0) for (const s of below) walk(realpathSync(join(slaves, s)));
    else phys.push(physical(name, unknown, sys));
  };
  const top = realpathSync(link);
  walk(top);
  return { name: basename(top), stack, physical: phys, unknown };
}
