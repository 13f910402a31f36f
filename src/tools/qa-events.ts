/**
 * What the dashboard listens to (Server-Sent Events at /__mock/events): a
 * request was journaled, the state was reset or restored, the scenario queue
 * changed. With nobody listening, emitting costs one size check.
 */
export type QaEventType = 'request' | 'state' | 'scenarios';

export type QaListener = (type: QaEventType, data: () => unknown) => void;

export class QaEvents {
  private readonly listeners = new Set<QaListener>();

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: QaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `data` is only called (once) when someone listens. */
  emit(type: QaEventType, data: () => unknown): void {
    if (this.listeners.size === 0) return;
    let value: unknown;
    let made = false;
    const once = (): unknown => {
      if (!made) {
        value = data();
        made = true;
      }
      return value;
    };
    for (const listener of this.listeners) listener(type, once);
  }
}
