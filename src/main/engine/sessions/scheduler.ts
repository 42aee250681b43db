import type { Session } from '../../../shared/domain';

export interface SchedulerDeps {
  queued(): Session[];
  runningCount(): number;
  maxRunning(): Promise<number>;
  launch(session: Session): Promise<void>;
}

/**
 * The running cap: queued sessions start highest priority first (then oldest request first) while
 * fewer than `maxRunning` programs run. `pump` is re-entrant-safe: concurrent calls coalesce.
 */
export class Scheduler {
  private pumping: Promise<void> | null = null;
  private again = false;

  constructor(private readonly d: SchedulerDeps) {}

  pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          await this.fill();
        } while (this.again);
      } finally {
        this.pumping = null;
      }
    })();
    return this.pumping;
  }

  private async fill(): Promise<void> {
    const max = await this.d.maxRunning();
    const queue = this.d
      .queued()
      .sort((a, b) => b.priority - a.priority || a.updatedAt - b.updatedAt || a.createdAt - b.createdAt);
    let running = this.d.runningCount();
    for (const s of queue) {
      if (running >= max) break;
      await this.d.launch(s);
      running = this.d.runningCount();
    }
  }
}
