// The page's side of the service worker's comlink connection. The worker exposes its queue with comlink's
// `expose`; the page only ever calls methods on it, so it speaks comlink's wire format (APPLY and RELEASE
// messages, RAW values, the "throw" handler) in a few lines instead of bundling comlink's proxies (1.7 KB gzip).

/** A method call on the object a comlink `expose` serves on the other end of `port`. */
export type PortCall = (method: string, ...args: unknown[]) => Promise<unknown>;

interface WireReply {
  id: string;
  type: 'RAW' | 'HANDLER';
  value: unknown;
}

/** Calls methods of the comlink-exposed object behind `port`; `release` lets the other end close it. */
export function callPort(port: MessagePort): { call: PortCall; release(): void } {
  const waiting = new Map<string, [(value: unknown) => void, (error: unknown) => void]>();
  let seq = 0;
  port.onmessage = ({ data }: MessageEvent<WireReply>) => {
    const settle = waiting.get(data?.id);
    if (!settle) return;
    waiting.delete(data.id);
    // comlink sends a thrown value through its "throw" handler: an Error travels as its name, message, stack.
    if (data.type === 'RAW') settle[0](data.value);
    else settle[1](Object.assign(new Error(), (data.value as { value: object }).value));
  };
  return {
    call: (method, ...args) =>
      new Promise((resolve, reject) => {
        const id = `${++seq}`;
        waiting.set(id, [resolve, reject]);
        port.postMessage({
          id,
          type: 'APPLY',
          path: [method],
          argumentList: args.map((value) => ({ type: 'RAW', value })),
        });
      }),
    release() {
      waiting.clear();
      port.postMessage({ id: 'release', type: 'RELEASE' });
    },
  };
}
