// Builds the workload the options ask for. `instance` tells apart the threads
// of one run, so keys that must be unique (events) stay unique across them.
import type { LoadOptions } from '../load-option-values.js';
import { kubeWorkload } from './kube.js';
import { parseMix } from '../../options/kube-mix.js';
import { checkPerfWorkload, putWorkload } from './put.js';
import type { LoadWorkload } from './workload.js';

export function workloadFromOptions(o: LoadOptions, prefix: string, instance = 0): LoadWorkload {
  if (o.workload === 'check-perf') return checkPerfWorkload(prefix);
  if (o.workload === 'kube')
    return kubeWorkload({
      prefix,
      mix: parseMix(o.kubeMix)!,
      objects: o.kubeObjects,
      nodes: o.kubeNodes,
      valueSize: o.kubeValueSize,
      eventTtlSeconds: Math.round(o.eventTtl / 1e9),
      rate: o.rate,
      instance,
      instances: o.workers,
      prefill: o.kubePrefill,
      watches: o.kubeWatches,
    });
  return putWorkload({
    prefix,
    keySize: o.keySize,
    valueSize: o.valSize,
    keySpace: o.keySpaceSize,
    sequential: o.sequentialKeys,
  });
}
