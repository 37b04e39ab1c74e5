import { Personalize, useLeadScore } from '@leadlight/react';
import { type FormEvent, type MouseEvent, useEffect, useState } from 'react';

/** The pages of the example; anything else is the pricing page. */
export const PAGES = { '/pricing': 'Pricing', '/features': 'Features' } as const;
export type PagePath = keyof typeof PAGES;

/** The page a request path shows. */
export const pageOf = (path: string): PagePath => (path.startsWith('/features') ? '/features' : '/pricing');

interface PricingAppProps {
  /** The page the server rendered. */
  path: PagePath;
  /** Signs the visitor in (the client sends the verified `identify`); absent on the server. */
  onSignIn?: (email: string) => Promise<void>;
}

function ScoreBadge() {
  const score = useLeadScore();
  return (
    <p className="badge" data-total={score?.total ?? ''} data-stage={score?.stage ?? ''}>
      {score ? `Score ${score.total} · ${score.stage}` : 'Score not known yet'}
    </p>
  );
}

function SignIn({ onSignIn }: Pick<PricingAppProps, 'onSignIn'>) {
  const [email, setEmail] = useState('');
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!onSignIn) return;
    setState('busy');
    await onSignIn(email);
    setState('done');
  };
  if (state === 'done') return <p id="signed-in">Signed in as {email}</p>;
  return (
    <form id="sign-in" onSubmit={submit}>
      <input
        name="email"
        type="email"
        required
        placeholder="you@company.example"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <button type="submit" disabled={state === 'busy'}>
        Sign in
      </button>
    </form>
  );
}

const PLANS = [
  ['Starter', '$0', 'One site, 10,000 events a month'],
  ['Team', '$49', 'Five sites, webhooks, the dashboard'],
  ['Business', '$199', 'Unlimited sites, PostgreSQL, SSO'],
];

/** The example site: a pricing page that greets MQLs with a sales offer, and a features page. */
export function PricingApp({ path: initial, onSignIn }: PricingAppProps) {
  const [path, setPath] = useState<PagePath>(initial);
  useEffect(() => {
    // Tells tests (and curious readers) that hydration has committed.
    document.documentElement.dataset.hydrated = 'true';
    const onPop = () => setPath(pageOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  // SPA navigation: the SDK sees the pushState and sends a page view.
  const go = (to: PagePath) => (event: MouseEvent) => {
    event.preventDefault();
    history.pushState(null, '', to);
    setPath(to);
  };
  return (
    <>
      <header>
        <nav>
          {Object.entries(PAGES).map(([to, label]) => (
            <a
              key={to}
              href={to}
              onClick={go(to as PagePath)}
              aria-current={to === path ? 'page' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
        <ScoreBadge />
      </header>
      <main>
        <Personalize stage="mql+" fallback={<h1 id="greeting">Plans for teams of every size</h1>}>
          <h1 id="greeting" className="mql">
            Welcome back! Your tailored quote is ready: talk to sales today
          </h1>
        </Personalize>
        <Personalize stage="lead">
          <p id="lead-note">Thanks for signing in. Compare the plans below, or ask us anything.</p>
        </Personalize>
        <Personalize maxScore={20} stage="visitor">
          <p id="newcomer">New here? Start free, no card needed.</p>
        </Personalize>
        {path === '/pricing' ? (
          <section id="plans">
            {PLANS.map(([name, price, what]) => (
              <article key={name}>
                <h2>{name}</h2>
                <p>
                  <strong>{price}</strong> a month. {what}.
                </p>
              </article>
            ))}
          </section>
        ) : (
          <section id="features">
            <h2>Features</h2>
            <p>Capture, score on the spot, personalize, and hand MQLs to sales.</p>
          </section>
        )}
        <SignIn onSignIn={onSignIn} />
      </main>
    </>
  );
}
