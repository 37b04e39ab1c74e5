import type { ResolvedOptions } from './validateOptions.js';

/** The visitor's ids and consent choice, persisted only when asked. */
export interface Identity {
  /** The stored anonymous id, if any. */
  anonymousId(): string | undefined;
  /** The stored anonymous id, created and stored when missing. */
  ensureAnonymousId(): string;
  /**
   * The current session id, renewed after the idle timeout (every call counts as activity), and the visit
   * number when this call started a new session (0 when it continued one).
   */
  touchSession(): [id: string, visitNumber: number];
  /** The consent choice the visitor made on an earlier page, if any. */
  storedConsent(): 'granted' | 'denied' | undefined;
  storeConsent(choice: 'granted' | 'denied'): void;
  /** Forgets the anonymous id and session (consent denied). */
  clear(): void;
}

const AID = 'll_aid';
const SID = 'll_sid';
const CONSENT = 'll_consent';
/** Sessions this device has started: the visit number. */
const VISITS = 'll_visits';

/**
 * Anonymous id in a first-party cookie (on the page's own site, or `cookieDomain`) mirrored to localStorage,
 * so either restores the other, and the visit count beside it; the session lives in localStorage (memory where
 * storage is blocked).
 */
export function createIdentity(
  win: Window,
  newId: () => string,
  o: Pick<ResolvedOptions, 'cookieDomain' | 'cookieDays' | 'sessionMinutes'>,
): Identity {
  const doc = win.document;
  let memorySession: string | undefined;
  const readCookie = (name: string): string | undefined => {
    const m = doc.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
    return m?.[1] ? decodeURIComponent(m[1]) : undefined;
  };
  const writeCookie = (name: string, value: string, days: number) => {
    doc.cookie =
      `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${Math.round(days * 86400)}; SameSite=Lax` +
      (o.cookieDomain ? `; Domain=${o.cookieDomain}` : '') +
      (win.location.protocol === 'https:' ? '; Secure' : '');
  };
  // Reading `localStorage` throws in sandboxed frames and where cookies are blocked, its setters when the
  // quota is full: every call is guarded.
  const get = (key: string): string | undefined => {
    try {
      return win.localStorage.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const set = (key: string, value: string | undefined) => {
    try {
      if (value === undefined) win.localStorage.removeItem(key);
      else win.localStorage.setItem(key, value);
    } catch {
      /* unavailable: the cookie still holds the id */
    }
  };
  /** Cookie and storage both, so either restores the other. */
  const keep = (key: string, value: string) => {
    writeCookie(key, value, o.cookieDays);
    set(key, value);
  };
  const valid = (id: string | undefined) => (id && /^[\w-]{8,64}$/.test(id) ? id : undefined);

  const identity: Identity = {
    anonymousId() {
      const id = valid(readCookie(AID)) ?? valid(get(AID));
      if (id && (readCookie(AID) !== id || get(AID) !== id)) keep(AID, id);
      return id;
    },
    ensureAnonymousId() {
      let id = identity.anonymousId();
      if (!id) {
        id = newId();
        keep(AID, id);
      }
      return id;
    },
    touchSession() {
      const t = Date.now();
      const [id, last] = (get(SID) ?? memorySession ?? '').split('.');
      let visit = 0;
      let fresh = id && Number(last) + o.sessionMinutes * 60_000 > t ? id : '';
      if (!fresh) {
        fresh = newId();
        visit = (Number(readCookie(VISITS) ?? get(VISITS)) || 0) + 1;
        keep(VISITS, `${visit}`);
      }
      memorySession = `${fresh}.${t}`;
      set(SID, memorySession);
      return [fresh, visit];
    },
    storedConsent() {
      const v = readCookie(CONSENT) ?? get(CONSENT);
      return v === 'granted' || v === 'denied' ? v : undefined;
    },
    storeConsent(choice) {
      keep(CONSENT, choice);
    },
    clear() {
      for (const key of [AID, VISITS]) {
        writeCookie(key, '', -1);
        set(key, undefined);
      }
      set(SID, undefined);
      memorySession = undefined;
    },
  };
  return identity;
}
