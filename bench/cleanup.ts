/**
 * What a run must undo (servers, the database), undone in reverse order whether the run ends
 * normally, fails or is interrupted. Each step runs even if an earlier one failed.
 */
export class Cleanup {
  private readonly steps: { label: string; undo: () => Promise<void> }[] = [];
  private running?: Promise<void>;

  add(label: string, undo: () => Promise<void>): void {
    this.steps.push({ label, undo });
  }

  /** Runs once; later calls wait for the first. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const { label, undo } of this.steps.splice(0).reverse()) {
        try {
          await undo();
        } catch (error) {
          process.stderr.write(`bench cleanup: ${label} failed: ${(error as Error).message}\n`);
        }
      }
    })();
    return this.running;
  }

  /** On Ctrl-C or SIGTERM, clean up before exiting instead of leaving servers and a database behind. */
  runOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: cleaning up\n`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }
}
