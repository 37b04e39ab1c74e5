/** Where the anonymous id, session and consent choice live: the page's cookies and localStorage. */
export interface IdentityStorage {
  document: Document;
  /** localStorage, or undefined where it is unavailable (sandboxed frames, some private modes). */
  storage: Storage | undefined;
  now(): number;
  newId(): string;
  cookieDomain?: string;
  cookieDays: number;
  sessionMinutes: number;
  secure: boolean;
}

/** The visitor's ids and consent choice, persisted only when asked. */
export interface Identity {
  /** The stored anonymous id, if any. */
  anonymousId(): string | undefined;
  /** The stored anonymous id, created and stored when missing. */
  ensureAnonymousId(): string;
  /** The current session id, renewed after the idle timeout; every call counts as activity. */
  touchSession(): string;
  /** The consent choice the visitor made on an earlier page, if any. */
  storedConsent(): 'granted' | 'denied' | undefined;
  storeConsent(choice: 'granted' | 'denied'): void;
  /** Forgets the anonymous id and session (consent denied). */
  clear(): void;
}

const AID = 'll_aid';
const SID = 'll_sid';
const CONSENT = 'll_consent';

/** Anonymous id in a first-party cookie mirrored to localStorage (either restores the other). */
export function createIdentity(s: IdentityStorage): Identity {
  let memorySession: string | undefined;
  const readCookie = (name: string): string | undefined => {
    const m = s.document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
    return m?.[1] ? decodeURIComponent(m[1]) : undefined;
  };
  const writeCookie = (name: string, value: string, days: number) => {
    s.document.cookie =
      `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${Math.round(days * 86400)}; SameSite=Lax` +
      (s.cookieDomain ? `; Domain=${s.cookieDomain}` : '') +
      (s.secure ? '; Secure' : '');
  };
  // Storage getters and setters throw in sandboxed frames and when the quota is full.
  const get = (key: string): string | undefined => {
    try {
      return s.storage?.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const set = (key: string, value: string | undefined) => {
    try {
      if (value === undefined) s.storage?.removeItem(key);
      else s.storage?.setItem(key, value);
    } catch {
      /* unavailable: the cookie still holds the id */
    }
  };
  /** Cookie and storage both, so either restores the other. */
  const keep = (key: string, value: string) => {
    writeCookie(key, value, s.cookieDays);
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
        id = s.newId();
        keep(AID, id);
      }
      return id;
    },
    touchSession() {
      const now = s.now();
      const [id, last] = (get(SID) ?? memorySession ?? '').split('.');
      const fresh = id && Number(last) + s.sessionMinutes * 60_000 > now ? id : s.newId();
      memorySession = `${fresh}.${now}`;
      set(SID, memorySession);
      return fresh;
    },
    storedConsent() {
      const v = readCookie(CONSENT) ?? get(CONSENT);
      return v === 'granted' || v === 'denied' ? v : undefined;
    },
    storeConsent(choice) {
      keep(CONSENT, choice);
    },
    clear() {
      writeCookie(AID, '', -1);
      set(AID, undefined);
      set(SID, undefined);
      memorySession = undefined;
    },
  };
  return identity;
}
