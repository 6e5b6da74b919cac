// A fake app behind window.__TAURI_INTERNALS__, for looking at the UI in a
// browser: `npm run dev` then open /?mock (or ?mock=empty for a first run),
// or `npm run build:mock && npm run preview:mock`. main.tsx loads this folder
// only in dev and `--mode mock` builds, and only with ?mock in the address;
// the production build does not contain it.
//
// fixtures.ts: sample data shared with the vitest tests; data.ts: the fake
// app's folders, conflicts, activity…; handlers.ts: its commands; bridge.ts:
// the fake Tauri internals and events.

import { createBridge } from './bridge';
import { mockData } from './data';
import { mockApp } from './handlers';

export function installMock(scenario: string): void {
  const data = mockData(scenario === 'empty');
  const bridge = createBridge();
  const { handlers, tick } = mockApp(data, bridge.emit);
  setInterval(tick, 1500);
  bridge.install(handlers);
  // For poking at it from the console: __mock.emit('app://navigate', { page: 'activity' })
  (window as unknown as Record<string, unknown>).__mock = { emit: bridge.emit, overview: data.overview };
}
