/**
 * `GET /__mock/events`: the QA events as Server-Sent Events, with a bounded
 * buffer per client. A client that stops reading (a paused tab, a stuck proxy)
 * would otherwise make the server queue every event for it without limit;
 * once what waits for it passes `bufferBytes`, it is sent a last `reconnect`
 * event and dropped (the stream says `retry: 2000`, so EventSource and the
 * dashboard connect again and reload what they show). Its socket is destroyed
 * if the last event has not left within DROP_GRACE_MS.
 */
import type { RequestHandler } from 'express';
import type { QaEvents } from './qa-events';

/** Bytes that may wait for one client before it is dropped. */
export const EVENT_BUFFER_BYTES = 2 * 1024 * 1024;
/** A comment line on each event stream this often, so proxies keep it open. */
const HEARTBEAT_MS = 15_000;
/** How long a dropped client's last event may take to leave before its socket is destroyed. */
const DROP_GRACE_MS = 30_000;

export interface EventStreamOptions {
  /** The `hello` event's data, sent first. */
  hello(): unknown;
  bufferBytes?: number;
}

export function streamEvents(events: QaEvents, options: EventStreamOptions): RequestHandler {
  const limit = options.bufferBytes ?? EVENT_BUFFER_BYTES;
  return function streamQaEvents(req, res) {
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(options.hello())}\n\n`);
    let open = true;
    const stop = (): void => {
      open = false;
      clearInterval(heartbeat);
      unsubscribe();
    };
    const drop = (waiting: number): void => {
      stop();
      res.end(
        `event: reconnect\ndata: ` +
          `${JSON.stringify({
            reason: `more than ${limit} bytes of events were waiting for this client (${waiting}); connect again`,
          })}\n\n`,
      );
      const destroy = setTimeout(() => res.destroy(), DROP_GRACE_MS);
      destroy.unref();
      res.once('close', () => clearTimeout(destroy));
    };
    const send = (chunk: string): void => {
      if (!open) return;
      // writableLength counts what the response and its socket still hold for this client.
      const waiting = res.writableLength + Buffer.byteLength(chunk);
      if (waiting > limit) drop(waiting);
      else res.write(chunk);
    };
    const unsubscribe = events.subscribe((type, data) => send(`event: ${type}\ndata: ${JSON.stringify(data())}\n\n`));
    const heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      if (open) stop();
    });
  };
}
