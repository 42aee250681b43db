import type { TerminalInfo } from '../../../shared/terminal-host-contract';
import type { Peer } from '../rpc/peer';
import type { ReportedColours, SizePolicy, TerminalBackend, TerminalHostLoss, TerminalStats } from './terminal-backend';
import type { TerminalService, TerminalSpawnOptions } from './terminal-service';

/**
 * Terminals in the engine's own process: the TerminalService behind the backend interface. Unit
 * tests use it; programs die with the process, so there is nothing to re-adopt or lose.
 */
export class LocalTerminals implements TerminalBackend {
  private readonly exitsPending = new Set<string>();

  constructor(readonly service: TerminalService) {
    service.onExit((e) => this.exitsPending.add(e.sessionId));
  }

  async spawn(opts: TerminalSpawnOptions) {
    this.exitsPending.delete(opts.sessionId);
    return this.service.spawn(opts);
  }
  stop(sessionId: string, opts?: { graceMs?: number }) {
    return this.service.stop(sessionId, opts);
  }
  attach(sessionId: string, peer: Peer, cols?: number, rows?: number, colours?: ReportedColours) {
    return this.service.attach(sessionId, peer, cols, rows, colours);
  }
  detach(sessionId: string, peer: Peer): void {
    this.service.detach(sessionId, peer);
  }
  async input(sessionId: string, data: string, from?: Peer) {
    this.service.input(sessionId, data, from);
  }
  async resize(sessionId: string, cols: number, rows: number, from?: Peer) {
    return this.service.resize(sessionId, cols, rows, from);
  }
  setSizePolicy(policy: SizePolicy): void {
    this.service.setSizePolicy(policy);
  }
  ack(sessionId: string, peer: Peer, chars: number): void {
    this.service.ack(sessionId, peer, chars);
  }
  async broadcast(sessionIds: string[], text: string, enter: boolean) {
    return this.service.broadcast(sessionIds, text, enter);
  }
  async serialize(sessionId: string) {
    return this.service.serialize(sessionId);
  }
  async restore(sessionId: string, serialized: string, cols?: number, rows?: number) {
    this.service.restore(sessionId, serialized, cols, rows);
  }
  async release(sessionId: string) {
    this.exitsPending.delete(sessionId);
    this.service.release(sessionId);
  }
  stats(sessionId: string): TerminalStats | null {
    return this.service.stats(sessionId);
  }
  async flowStats(sessionId: string) {
    return this.service.flowStats(sessionId);
  }
  async screenLines(sessionId: string) {
    return this.service.screenLines(sessionId);
  }
  async list(): Promise<TerminalInfo[]> {
    return this.service.sessionIds().map((id) => {
      const stats = this.service.stats(id);
      const size = this.service.size(id);
      const exit = this.service.lastExit(id);
      return {
        sessionId: id,
        running: this.service.isRunning(id),
        pid: this.service.pid(id),
        cols: size?.cols ?? 0,
        rows: size?.rows ?? 0,
        activity: stats?.activity ?? 'idle',
        outputBytes: stats?.outputBytes ?? 0,
        lastOutputAt: stats?.lastOutputAt ?? null,
        exit,
        exitHandled: !this.exitsPending.has(id),
      };
    });
  }
  exitHandled(sessionId: string): void {
    this.exitsPending.delete(sessionId);
  }
  onExit(listener: Parameters<TerminalService['onExit']>[0]) {
    return this.service.onExit(listener);
  }
  onActivity(listener: Parameters<TerminalService['onActivity']>[0]) {
    return this.service.onActivity(listener);
  }
  onSize(listener: Parameters<TerminalService['onSize']>[0]) {
    return this.service.onSize(listener);
  }
  onHostLost(_listener: (loss: TerminalHostLoss) => void): () => void {
    return () => undefined;
  }
  incompatibleHosts() {
    return [];
  }
  async stopIncompatibleHost(): Promise<void> {}
  // In-process terminals have no other hosts to take sessions over from.
  async handOverFrom(): Promise<null> {
    return null;
  }
  async retireIncompatibleHost(): Promise<boolean> {
    return false;
  }
  async dispose(opts: { stopPrograms: boolean }): Promise<void> {
    // Programs in this process cannot outlive it: they stop either way.
    void opts;
    await this.service.dispose();
  }
}
