/**
 * Seeded randomness for everything the mock makes up at run time: ids, codes
 * and request ids. Each id and code is drawn from (seed, a persistent
 * counter), so the same seed and the same requests give the same values, a
 * reset replays them, and a restart on the same data file carries on without
 * repeating any. Request ids are not state: they are drawn from (seed, the
 * run's key, a counter that a reset does not restart), so no two answers of a
 * process share one, and no two runs do (grepping logs finds one request).
 */
import { createHash } from 'node:crypto';
import { ALPHANUMERIC, makeCode } from '../../mocks/make-code';
import type { CodeConfig } from '../domain/records';
import type { Store } from '../store/store';


/** A stream of pseudo-random bytes from SHA-256 in counter mode: small, fast, and the same on every platform. */
class ByteStream {
  private block = Buffer.alloc(0);
  private offset = 0;
  private counter = 0;

  constructor(private readonly key: string) {}

  /** A uniform integer in [0, bound), without modulo bias. */
  below(bound: number): number {
    const limit = 256 - (256 % bound);
    for (;;) {
      const byte = this.next();
      if (byte < limit) return byte % bound;
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

export class IdSource {
  private requestCounter = 0;

  constructor(
    private readonly seed: number,
    private readonly store: Store,
    /** This run's key for request ids (random per process by default, see MockState). */
    private readonly run: string,
  ) {}

  private stream(kind: string): ByteStream {
    return new ByteStream(`${this.seed}:${kind}:${this.store.nextSequence(kind)}`);
  }

  private draw(stream: ByteStream, charset: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += charset[stream.below(charset.length)];
    return out;
  }

  publicationId(): string {
    return `pub_${this.draw(this.stream('publication'), ALPHANUMERIC, 32)}`;
  }

  customerId(): string {
    return `cust_${this.draw(this.stream('customer'), ALPHANUMERIC, 24)}`;
  }

  voucherId(): string {
    return `v_${this.draw(this.stream('voucher'), ALPHANUMERIC, 32)}`;
  }

  /** A new code following the campaign's code config, read the same way as the fixtures read it. */
  code(config: CodeConfig): string {
    const stream = this.stream('code');
    return makeCode(config, (charset, length) => this.draw(stream, charset, length));
  }

  /** `v-` and 18 hex digits. Counted in memory: request ids are not state, and rejected requests must not write. */
  requestId(): string {
    const stream = new ByteStream(`${this.seed}:request:${this.run}:${++this.requestCounter}`);
    return `v-${this.draw(stream, '0123456789abcdef', 18)}`;
  }
}
