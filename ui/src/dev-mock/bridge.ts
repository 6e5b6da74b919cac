// The fake window.__TAURI_INTERNALS__ that @tauri-apps/api talks to: command
// calls go to the mock's handlers (after a short wait, answers cloned as if
// they crossed the boundary), and app events reach the page's listeners.

export type Args = Record<string, unknown>;
export type Handler = (args: Args) => unknown;
export type Emit = (event: string, payload: unknown) => void;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Bridge {
  emit: Emit;
  /** Puts the fake in place, answering with `handlers`. */
  install: (handlers: Record<string, Handler>) => void;
}

export function createBridge(): Bridge {
  const callbacks = new Map<number, (data: unknown) => void>();
  const listeners = new Map<string, number[]>();
  let nextCallback = 1;

  const emit: Emit = (event, payload) => {
    for (const id of listeners.get(event) ?? []) callbacks.get(id)?.({ event, id, payload });
  };

  // The commands of Tauri's event plugin, which listen() and unlisten() call.
  const eventHandlers: Record<string, Handler> = {
    'plugin:event|listen': (a) => {
      const list = listeners.get(a.event as string) ?? [];
      list.push(a.handler as number);
      listeners.set(a.event as string, list);
      return a.handler;
    },
    'plugin:event|unlisten': (a) => {
      const list = listeners.get(a.event as string) ?? [];
      listeners.set(a.event as string, list.filter((x) => x !== a.eventId));
      return null;
    },
  };

  const install = (commands: Record<string, Handler>) => {
    const handlers = { ...eventHandlers, ...commands };
    const w = window as unknown as Record<string, unknown>;
    w.__TAURI_INTERNALS__ = {
      metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
      transformCallback(cb: (data: unknown) => void, once = false) {
        const id = nextCallback++;
        callbacks.set(id, (data) => {
          if (once) callbacks.delete(id);
          cb?.(data);
        });
        return id;
      },
      unregisterCallback(id: number) {
        callbacks.delete(id);
      },
      async invoke(cmd: string, args: Args = {}) {
        await sleep(cmd.startsWith('plugin:') ? 0 : 60);
        const h = handlers[cmd];
        if (!h) throw { code: 'invalid-input', message: `The mock does not know the command ${cmd}.` };
        return structuredClone(await h(args));
      },
    };
    w.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
      unregisterListener(event: string, id: number) {
        listeners.set(event, (listeners.get(event) ?? []).filter((x) => x !== id));
      },
    };
  };

  return { emit, install };
}
