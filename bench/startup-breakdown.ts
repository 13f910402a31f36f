/**
 * Child script of `npm run bench:startup`: where a start's time goes. Times
 * every require (inclusive, top three levels), then building the state and the
 * app, and prints them as JSON lines on stdout.
 * Usage: node dist/bench/startup-breakdown.js
 */
import Module from 'node:module';

interface Row {
  depth: number;
  name: string;
  ms: number;
}

const rows: Row[] = [];
const started = process.hrtime.bigint();
const since = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;

// Module's typings do not declare the prototype's require; it is Node's own CommonJS loader.
const proto = (Module as unknown as { prototype: { require: (this: unknown, id: string) => unknown } }).prototype;
const originalRequire = proto.require;
let depth = 0;
proto.require = function timedRequire(this: unknown, id: string): unknown {
  const at = process.hrtime.bigint();
  depth++;
  try {
    return originalRequire.call(this, id);
  } finally {
    depth--;
    const ms = since(at);
    if (depth < 3 && ms >= 3) rows.push({ depth, name: id, ms });
  }
};

function step(name: string, fn: () => void): void {
  const at = process.hrtime.bigint();
  fn();
  rows.push({ depth: 0, name, ms: since(at) });
}

let createMockState: typeof import('../src/app/server').createMockState | undefined;
let createApp: typeof import('../src/app/create-app').createApp | undefined;
step('require the server modules', () => {
  createMockState = (require('../src/app/server') as typeof import('../src/app/server')).createMockState;
  createApp = (require('../src/app/create-app') as typeof import('../src/app/create-app')).createApp;
});
let state: ReturnType<typeof import('../src/app/server').createMockState> | undefined;
step('createMockState (store, fixtures)', () => {
  state = createMockState!({});
});
step('initialize (fill the store)', () => {
  // On SQLite the world is filled synchronously; the promise only reports how.
  void state!.initialize();
});
step('createApp (routes, validators)', () => {
  createApp!({ state: state! });
});
rows.push({ depth: 0, name: "total in-process (without Node's own boot)", ms: since(started) });
for (const row of rows) console.log(JSON.stringify(row));
state?.store.close();
