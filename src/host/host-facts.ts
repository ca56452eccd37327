// The machine a result was measured on: kernel, distribution, CPU, memory and
// what is known about virtualisation. systeminformation supplies most of it;
// the CPU's hypervisor flag from /proc/cpuinfo is the one fact about
// virtualisation the kernel states plainly, so it is reported on its own.
import { readFileSync } from 'node:fs';
import { hostname, release, totalmem } from 'node:os';
import si from 'systeminformation';

export interface HostFacts {
  hostname: string;
  kernel: string;
  os: string;
  cpu: { model: string; cores: number };
  memoryBytes: number;
  virtualization: {
    /** The "hypervisor" CPU flag: the kernel runs under a hypervisor. null when /proc/cpuinfo is unreadable. */
    hypervisorCpuFlag: boolean | null;
    /** As systeminformation reports them (it can be wrong: on a Firecracker VM it says "Docker Container"). */
    systemManufacturer: string | null;
    systemModel: string | null;
  };
  node: string;
}

function hypervisorFlag(): boolean | null {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    return flags === undefined ? null : flags.split(/\s+/).includes('hypervisor');
  } catch {
    return null;
  }
}

const orNull = (s: string | undefined) => (s && s.trim() !== '' && s !== '-' ? s.trim() : null);

/** Reads the host facts (about 0.2 s; call it outside any measurement). */
export async function hostFacts(): Promise<HostFacts> {
  const [system, os, cpu] = await Promise.all([si.system(), si.osInfo(), si.cpu()]);
  return {
    hostname: hostname(),
    kernel: release(),
    os: [os.distro, os.release].filter((x) => x).join(' ') || 'unknown',
    cpu: { model: [cpu.manufacturer, cpu.brand].filter((x) => x).join(' ') || 'unknown', cores: cpu.cores },
    memoryBytes: totalmem(),
    virtualization: {
      hypervisorCpuFlag: hypervisorFlag(),
      systemManufacturer: orNull(system.manufacturer),
      systemModel: orNull(system.model),
    },
    node: process.version,
  };
}
