// Sign-in and the session: the display name and the secret key are posted once for an HttpOnly cookie; an
// existing session skips the form; a 401 anywhere or "Log out" comes back here.
import { DemoError } from '../demoError.js';
import type { DashboardContext } from './dashboardContext.js';

/** The sign-in form and the shell it opens. */
export interface SignIn {
  /** Shows the form (the shell hides), with `message` as its error line. */
  showLogin(message?: string): void;
  /** Opens the shell when this browser has a session, else shows the form. */
  start(): void;
}

/** What signing in and out does to the rest of the dashboard. */
export interface SessionHooks {
  /** The shell opened for a signed-in person: connect and load. */
  entered(): Promise<void>;
  /** The shell closed. */
  left(): void;
}

/** Mounts the form (`#login-form`) and the Log out button. */
export function mountSignIn(ctx: DashboardContext, hooks: SessionHooks): SignIn {
  const { api, state, byId, notify } = ctx;

  function showLogin(message = '') {
    hooks.left();
    byId('shell').hidden = true;
    byId('login').hidden = false;
    byId('login-error').textContent = message;
    const name = byId<HTMLInputElement>('display-name');
    (name.value ? byId<HTMLInputElement>('secret') : name).focus();
  }

  async function showShell(name: string | null) {
    state.me = name ?? '';
    byId('me').textContent = name ? `Signed in as ${name}` : '';
    byId('login').hidden = true;
    byId('shell').hidden = false;
    await hooks.entered();
  }

  byId<HTMLFormElement>('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const secret = byId<HTMLInputElement>('secret');
    const name = byId<HTMLInputElement>('display-name').value.trim();
    try {
      await api.login(secret.value.trim(), name);
      // The key is only needed once: the cookie carries the session from here on.
      secret.value = '';
      await showShell(name);
      notify(`Signed in as ${name}.`, 'info');
    } catch (error) {
      showLogin(
        error instanceof DemoError && error.code === 'unauthorized'
          ? 'That secret key is not valid for this collector.'
          : (error as Error).message,
      );
    }
  });
  byId('logout').addEventListener('click', async () => {
    await api.logout().catch(() => undefined);
    showLogin('Logged out.');
  });

  return {
    showLogin,
    start() {
      // An existing session cookie skips the login form; asking costs no 401 in the console.
      api.session().then(
        (session) => (session ? void showShell(session.name) : showLogin()),
        () => showLogin(),
      );
    },
  };
}
