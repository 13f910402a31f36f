/**
 * `GET /__mock/state`, without blocking the mock and without holding the
 * export in memory. The snapshot is written to a private temporary file from
 * one consistent view of the store (StoreExportView), a few dozen records per
 * turn of the event loop, so every other request goes on being answered; the
 * file is then sent with its length and removed. A client that does not read
 * costs a file descriptor, not memory, and is dropped after EXPORT_IDLE_MS.
 *
 * An export larger than the restore limit says so, in the file (a last
 * property, `too_large_to_restore`) and in a header: every export the mock
 * makes is either one its own `PUT /__mock/state` takes or one that says it
 * is not. At most MAX_BUILDING exports are made at once, MAX_WAITING more
 * wait; beyond, 429.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { ApiError } from '../domain/api-error';
import type { MockState } from '../app/mock-state';
import type { StoreExportView } from '../store/store';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './state-snapshot';

const MAX_BUILDING = 2;
const MAX_WAITING = 8;
/** A client that reads nothing of its export for this long is dropped. */
export const EXPORT_IDLE_MS = 60_000;
/** Characters written to the file per turn of the event loop. */
const CHUNK_CHARS = 64 * 1024;
/** The header that says an export is too large to restore. */
export const TOO_LARGE_HEADER = 'X-Mock-Snapshot-Too-Large';

export interface BuiltExport {
  file: string;
  bytes: number;
  seed: number;
  exportedAt: string;
  /** Set when the export is larger than the restore limit. */
  tooLarge?: { bytes: number; limit: number };
  /** Removes the file (and its folder); safe to call twice. */
  remove(): void;
}

/** Writes text to a file in chunks, yielding to the event loop after each. */
class ChunkedFile {
  private readonly stream;
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    else await nextTurn();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** The store's view, or (for stores without one) the whole state read at once. */
async function viewOf(state: MockState): Promise<StoreExportView> {
  // SQLite's view reads on a connection of its own, record by record; PostgreSQL's state is read in one snapshot.
  if (state.embedded?.openExportView) return state.embedded.openExportView();
  const all = await state.data.transaction((tx) => tx.exportState(), { readOnly: true });
  return {
    campaigns: () => all.campaigns,
    vouchers: () => all.vouchers,
    customers: () => all.customers,
    publications: () => all.publications,
    sequences: () => all.sequences,
    meta: () => all.meta,
    close: () => undefined,
  };
}

/**
 * Writes the snapshot (the same JSON as `JSON.stringify(exportSnapshot(state))`)
 * to a new temporary file. `cancelled` is asked between chunks: a client gone
 * stops the work.
 */
export async function buildExport(
  state: MockState,
  limitBytes: number,
  cancelled: () => boolean,
): Promise<BuiltExport> {
  const dir = mkdtempSync(join(tmpdir(), 'mock-state-export-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'state.json');
  const out = new ChunkedFile(file);
  const exportedAt = state.clock.nowIso();
  const view = await viewOf(state);
  try {
    await out.write(
      `{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"version":${SNAPSHOT_VERSION},` +
        `"exported_at":${JSON.stringify(exportedAt)},"seed":${state.seed},"state":{`,
    );
    const tables: Array<[string, () => Iterable<unknown>]> = [
      ['campaigns', view.campaigns],
      ['vouchers', view.vouchers],
      ['customers', view.customers],
      ['publications', view.publications],
    ];
    for (const [index, [name, records]] of tables.entries()) {
      await out.write(`${index > 0 ? ',' : ''}${JSON.stringify(name)}:[`);
      let first = true;
      for (const record of records()) {
        await out.write(`${first ? '' : ','}${JSON.stringify(record)}`);
        first = false;
        if (cancelled()) throw new Error('the client went away');
      }
      await out.write(']');
    }
    await out.write(`,"sequences":${JSON.stringify(view.sequences())},"meta":${JSON.stringify(view.meta())}}`);
    await out.flush();
    const bytes = out.bytes + 1;
    const tooLarge = bytes > limitBytes ? { bytes, limit: limitBytes } : undefined;
    await out.write(tooLarge ? `,"too_large_to_restore":${JSON.stringify(tooLarge)}}` : '}');
    await out.close();
    return { file, bytes: out.bytes, seed: state.seed, exportedAt, tooLarge, remove };
  } catch (error) {
    out.destroy();
    remove();
    throw error;
  } finally {
    view.close();
  }
}

/** Exports made at once are bounded: each reads the whole store. */
export class ExportQueue {
  private building = 0;
  private readonly waiting: Array<() => void> = [];

  async run<T>(make: () => Promise<T>): Promise<T> {
    if (this.building >= MAX_BUILDING) {
      if (this.waiting.length >= MAX_WAITING) {
        throw new ApiError(
          'too_many_requests',
          `${this.building + this.waiting.length} state exports are being made ` +
            `or waiting; try again when one has finished`,
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.building++;
    try {
      return await make();
    } finally {
      this.building--;
      this.waiting.shift()?.();
    }
  }
}

/** Sends a built export: its length, a file name for `?download`, the too-large header; then removes it. */
export function sendExport(req: Request, res: Response, built: BuiltExport, download: boolean): void {
  res.status(200);
  res.set('Content-Type', 'application/json; charset=utf-8');
  res.set('Content-Length', String(built.bytes));
  if (download) res.attachment(`mock-state-seed${built.seed}-${built.exportedAt.replace(/[:.]/g, '-')}.json`);
  if (built.tooLarge)
    res.set(
      TOO_LARGE_HEADER,
      `${built.tooLarge.bytes} bytes; PUT /__mock/state restores snapshots up to ${built.tooLarge.limit} bytes`,
    );
  const stream = createReadStream(built.file);
  // Unlinked as soon as it is open: the descriptor keeps it readable, and nothing is left behind.
  stream.once('open', () => {
    try {
      unlinkSync(built.file);
    } finally {
      built.remove();
    }
  });
  stream.once('error', () => {
    built.remove();
    res.destroy();
  });
  res.setTimeout(EXPORT_IDLE_MS, () => res.destroy());
  res.once('close', () => {
    stream.destroy();
    built.remove();
  });
  if (req.method === 'HEAD') {
    stream.destroy();
    res.end();
    return;
  }
  stream.pipe(res);
}
