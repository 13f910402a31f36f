/**
 * Seeded randomness for everything the mock makes up at run time: ids, codes
 * and request ids. Each id and code is drawn from (seed, a persistent
 * counter), so the same seed and the same requests give the same values, a
 * reset replays them, and a restart on the same data file carries on without
 * repeating any. Request ids are not state: they are drawn from (seed, the
 * run's key, a counter that a reset does not restart), so no two answers of a
 * process share one, and no two runs do (grepping logs finds one request).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ALPHANUMERIC, makeCode } from '../domain/make-code';
import type { CodeConfig } from '../domain/records';

/** Where the counters are: the transaction a request runs in (they roll back with it), or a synchronous store. */
export interface Sequencer {
  nextSequence(name: string): number | Promise<number>;
}

/** A stream of pseudo-random bytes from SHA-256 in counter mode: small, fast, and the same on every platform. */
class ByteStream {
  private block = Buffer.alloc(0);
  private offset = 0;
  private counter = 0;

  constructor(private readonly key: string) {}

  /**
   * A uniform integer in [0, bound), without modulo bias: one byte per try for
   * bounds up to 256 (the charsets schemas allow), two bytes above. Each try
   * succeeds with probability above 1/2, so the loop ends.
   */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 65536)
      throw new RangeError(`below: bound ${bound} is not a whole number from 1 to 65536`);
    const range = bound <= 256 ? 256 : 65536;
    const limit = range - (range % bound);
    for (;;) {
      const value = range === 256 ? this.next() : this.next() * 256 + this.next();
      if (value < limit) return value % bound;
    }
  }

  private next(): number {
    if (this.offset >= this.block.length) {
      this.block = createHash('sha256').update(`${this.key}:${this.counter++}`).digest();
      this.offset = 0;
    }
    return this.block[this.offset++]!;
  }
}

/** Draws `length` characters of `charset` from the stream. */
function drawFrom(stream: ByteStream, charset: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += charset[stream.below(charset.length)];
  return out;
}

/** Ids drawn from a persistent counter: their prefix and how many letters and digits follow it. */
const ID_SHAPES = { publication: ['pub_', 32], customer: ['cust_', 24], voucher: ['v_', 32] } as const;
export type IdKind = keyof typeof ID_SHAPES;
export const ID_KINDS = Object.keys(ID_SHAPES) as IdKind[];

/**
 * The id the `counter`-th draw of `kind` gives under `seed`. IdSource draws
 * with it, and a snapshot's counters are checked with it (the next id a
 * counter gives must not be taken already).
 */
export function idAt(seed: number, kind: IdKind, counter: number): string {
  const [prefix, length] = ID_SHAPES[kind];
  return `${prefix}${drawFrom(new ByteStream(`${seed}:${kind}:${counter}`), ALPHANUMERIC, length)}`;
}

export class IdSource {
  private requestCounter = 0;

  constructor(
    private readonly seed: number,
    /** This run's key for request ids: random unless given (MockState takes it from its options). */
    private readonly run: string = randomBytes(8).toString('hex'),
  ) {}

  private async stream(tx: Sequencer, kind: string): Promise<ByteStream> {
    return new ByteStream(`${this.seed}:${kind}:${await tx.nextSequence(kind)}`);
  }

  private async nextId(tx: Sequencer, kind: IdKind): Promise<string> {
    return idAt(this.seed, kind, await tx.nextSequence(kind));
  }

  publicationId(tx: Sequencer): Promise<string> {
    return this.nextId(tx, 'publication');
  }

  customerId(tx: Sequencer): Promise<string> {
    return this.nextId(tx, 'customer');
  }

  voucherId(tx: Sequencer): Promise<string> {
    return this.nextId(tx, 'voucher');
  }

  /** A new code following the campaign's code config, read the same way as the fixtures read it. */
  async code(tx: Sequencer, config: CodeConfig): Promise<string> {
    const stream = await this.stream(tx, 'code');
    return makeCode(config, (charset, length) => drawFrom(stream, charset, length));
  }

  /** `v-` and 18 hex digits. Counted in memory: request ids are not state, and rejected requests must not write. */
  requestId(): string {
    const stream = new ByteStream(`${this.seed}:request:${this.run}:${++this.requestCounter}`);
    return `v-${drawFrom(stream, '0123456789abcdef', 18)}`;
  }
}
