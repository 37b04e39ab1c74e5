/** The subset of the Web Locks API the queue uses. */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: boolean }, run: (lock: unknown) => Promise<T>): Promise<T>;
}

/**
 * One sender at a time across every tab and worker of the origin: a Web Lock taken `ifAvailable`, so a
 * context that finds it held skips this pass instead of queueing behind it. Without Web Locks, a flag
 * guards this context only (the service worker is a single context anyway).
 */
export function createSendLock(name: string, locks: LockManagerLike | undefined) {
  let held = false;
  return async (send: () => Promise<void>): Promise<boolean> => {
    if (locks) {
      return locks.request(name, { ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await send();
        return true;
      });
    }
    if (held) return false;
    held = true;
    try {
      await send();
      return true;
    } finally {
      held = false;
    }
  };
}
