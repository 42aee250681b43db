import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../src/main/engine/store/database';
import { PortAllocator } from '../../src/main/engine/ports/port-allocator';
import { makeTempDir, type TempDir } from '../support/temp-repo';

let dir: TempDir;
let db: Database;
beforeEach(async () => {
  dir = await makeTempDir('ms-ports-');
  db = await Database.open(`${dir.path}/multisession.db`);
});
afterEach(async () => {
  await db.close();
  await dir.cleanup();
});

const range = { start: 23000, blockSize: 5, blocks: 60 };

describe('per-session port blocks', () => {
  it('many sessions at once get distinct blocks, and a session keeps its block', async () => {
    const ports = new PortAllocator(db, range);
    const ids = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const blocks = await Promise.all(ids.map((id) => ports.allocate(id)));
    expect(new Set(blocks.map((b) => b.base)).size).toBe(40);
    for (const b of blocks) {
      expect(b.count).toBe(5);
      expect((b.base - range.start) % range.blockSize).toBe(0);
    }
    expect(await ports.allocate('s7')).toEqual(blocks[7]);
  });

  it('survives a restart of the engine (the store keeps the blocks) and frees a block on release', async () => {
    const first = new PortAllocator(db, range);
    const a = await first.allocate('a');
    const b = await first.allocate('b');
    await db.close();
    db = await Database.open(`${dir.path}/multisession.db`);
    const again = new PortAllocator(db, range);
    expect(await again.allocate('a')).toEqual(a);
    expect(await again.allocate('b')).toEqual(b);
    await again.release('a');
    expect((await again.held()).map((h) => h.sessionId)).toEqual(['b']);
    // The freed block is the lowest free one, so the next session gets it.
    expect(await again.allocate('c')).toEqual(a);
  });

  it('skips a block something else on the machine listens in', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(range.start + 2, '127.0.0.1', () => r()));
    try {
      const first = await new PortAllocator(db, range).allocate('x');
      expect(first.base).toBe(range.start + range.blockSize);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it('says so when every block is taken, and changes nothing', async () => {
    const ports = new PortAllocator(db, { start: 23500, blockSize: 2, blocks: 2 });
    await ports.allocate('a');
    await ports.allocate('b');
    await expect(ports.allocate('c')).rejects.toMatchObject({ code: 'BUSY' });
    expect(await ports.held()).toHaveLength(2);
  });
});
