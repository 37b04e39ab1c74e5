import freeEmailDomains from 'free-email-domains';
import type { AccountsConfig } from './validateAccountsConfig.js';

// The maintained free-mail list (gmail.com, outlook.com, yahoo.*, qq.com, 163.com, gmx.*, mail.ru, …).
const FREE = new Set<string>(freeEmailDomains);

/**
 * The account domain of a (lower-cased) email: its domain, unless free mail or denied by the site;
 * null for none. A site's `allowDomains` overrides the free-mail list.
 */
export function accountDomainOf(email: string | null, config: AccountsConfig | undefined): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  if (!domain.includes('.')) return null;
  if (config?.denyDomains.includes(domain)) return null;
  if (config?.allowDomains.includes(domain)) return domain;
  return FREE.has(domain) ? null : domain;
}
