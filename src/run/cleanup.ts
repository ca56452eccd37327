// Whatever a run creates that must not outlive it (run directory, file, child
// process, key prefix) registers its undo here at the moment it is created.
// Normal end, error and signals all drain the same registry, newest first.

export interface CleanupStep {
  label: string;
  undo: () => void | Promise<void>;
}

/** A stack of undo steps. */
export class CleanupRegistry {
  private readonly steps: CleanupStep[] = [];

  /** Registers an undo step; returns a function that unregisters it (when the thing was removed normally). */
  add(label: string, undo: CleanupStep['undo']): () => void {
    const step = { label, undo };
    this.steps.push(step);
    return () => {
      const i = this.steps.indexOf(step);
      if (i >= 0) this.steps.splice(i, 1);
    };
  }

  /**
   * A registry of the caller's own, registered here as one step: whoever creates a registry drains it,
   * and a signal that drains this one (the parent) still reaches what the child holds.
   */
  child(label: string): { registry: CleanupRegistry; release: () => Promise<Error[]> } {
    const registry = new CleanupRegistry();
    const unregister = this.add(label, () => registry.drain().then(() => undefined));
    return {
      registry,
      release: async () => {
        unregister();
        return registry.drain();
      },
    };
  }

  get pending(): number {
    return this.steps.length;
  }

  /** Runs every step, newest first; a failing step does not stop the others. Returns the failures. */
  async drain(): Promise<Error[]> {
    const failures: Error[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo();
      } catch (e) {
        failures.push(new Error(`cleanup "${step.label}" failed: ${(e as Error).message}`));
      }
    }
    return failures;
  }
}
