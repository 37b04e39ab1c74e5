// @vitest-environment jsdom
// The provider in a DOM: it starts the SDK once (strict mode included), hydrates server HTML as it is, and
// follows the SDK's score. `@leadlight/sdk` is replaced by a stand-in that counts instances.
import { act, StrictMode } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeadlightProvider, Personalize, type ScoreLike, useLeadScore } from './index.js';

/** A stand-in SDK client: `emit` plays the queue reporting a score. */
function fakeClient(current?: ScoreLike) {
  const listeners = new Set<(s: ScoreLike) => void>();
  return {
    listeners,
    score: vi.fn(async () => current),
    onScore: vi.fn((cb: (s: ScoreLike) => void) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    }),
    emit(score: ScoreLike) {
      current = score;
      act(() => {
        for (const cb of listeners) cb(score);
      });
    },
  };
}

const sdk = vi.hoisted(() => ({ instances: 0, client: undefined as unknown }));
vi.mock('@leadlight/sdk', () => ({
  init: vi.fn(() => {
    sdk.instances += 1;
    return sdk.client;
  }),
}));

const options = { siteKey: 'pk_test', endpoint: 'https://collector.example' };

function Pricing() {
  const score = useLeadScore();
  return (
    <main>
      <p data-total>{score?.total ?? '–'}</p>
      <Personalize stage="mql+" fallback={<h1>Plans</h1>}>
        <h1>Welcome back</h1>
      </Personalize>
    </main>
  );
}

let container: HTMLElement;
let root: Root | undefined;
const text = (selector: string) => container.querySelector(selector)?.textContent;
const flush = () => act(async () => {});

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  sdk.instances = 0;
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
  container.remove();
  vi.restoreAllMocks();
});

describe('LeadlightProvider', () => {
  it('starts one SDK under strict mode (double effects) and holds one score subscription', async () => {
    const client = fakeClient();
    sdk.client = client;
    root = createRoot(container);
    act(() =>
      root?.render(
        <StrictMode>
          <LeadlightProvider options={options}>
            <Pricing />
          </LeadlightProvider>
        </StrictMode>,
      ),
    );
    await flush();
    expect(sdk.instances).toBe(1);
    // Strict mode subscribed, unsubscribed and subscribed again: one listener is left.
    expect(client.onScore).toHaveBeenCalledTimes(2);
    expect(client.listeners.size).toBe(1);
    // Re-rendering with new option objects starts nothing more.
    act(() =>
      root?.render(
        <StrictMode>
          <LeadlightProvider options={{ ...options }}>
            <Pricing />
          </LeadlightProvider>
        </StrictMode>,
      ),
    );
    await flush();
    expect(sdk.instances).toBe(1);
    act(() => root?.unmount());
    root = undefined;
    expect(client.listeners.size).toBe(0);
  });

  it('re-renders on every score the SDK reports, crossing the MQL threshold and back to a fallback', async () => {
    const client = fakeClient();
    root = createRoot(container);
    act(() =>
      root?.render(
        <LeadlightProvider client={client}>
          <Pricing />
        </LeadlightProvider>,
      ),
    );
    await flush();
    expect(text('[data-total]')).toBe('–');
    client.emit({ total: 30, stage: 'lead' });
    expect(text('[data-total]')).toBe('30');
    expect(text('h1')).toBe('Plans');
    client.emit({ total: 55, stage: 'mql' });
    expect(text('[data-total]')).toBe('55');
    expect(text('h1')).toBe('Welcome back');
    expect(sdk.instances).toBe(0);
  });

  it('takes the current score of a client that was started before it mounted', async () => {
    const client = fakeClient({ total: 70, stage: 'mql' });
    root = createRoot(container);
    act(() =>
      root?.render(
        <LeadlightProvider client={client}>
          <Pricing />
        </LeadlightProvider>,
      ),
    );
    await flush();
    expect(text('h1')).toBe('Welcome back');
  });

  it('lets a report that arrives before the current score answers win', async () => {
    const client = fakeClient({ total: 10, stage: 'lead' });
    let answer: (s: ScoreLike) => void = () => {};
    client.score.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    root = createRoot(container);
    act(() =>
      root?.render(
        <LeadlightProvider client={client}>
          <Pricing />
        </LeadlightProvider>,
      ),
    );
    await flush();
    client.emit({ total: 60, stage: 'mql' });
    await act(async () => answer({ total: 10, stage: 'lead' }));
    expect(text('[data-total]')).toBe('60');
  });

  it('hydrates the server HTML as it is, then follows the SDK', async () => {
    const bootstrap: ScoreLike = { total: 52, stage: 'mql' };
    const app = (
      <StrictMode>
        <LeadlightProvider options={options} bootstrap={bootstrap}>
          <Pricing />
        </LeadlightProvider>
      </StrictMode>
    );
    container.innerHTML = renderToString(app);
    const serverNodes = [...container.querySelectorAll('*')];
    expect(text('h1')).toBe('Welcome back');
    // The SDK's cached score differs from the server's: it may show only after hydration.
    const client = fakeClient({ total: 12, stage: 'lead' });
    sdk.client = client;
    const errors: unknown[] = [];
    const consoleError = vi.spyOn(console, 'error');
    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver((records) => mutations.push(...records));
    observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true });
    act(() => {
      root = hydrateRoot(container, app, { onRecoverableError: (e) => errors.push(e) });
    });
    mutations.push(...observer.takeRecords());
    // Hydration adopted every server node and changed none of them.
    expect(mutations).toEqual([]);
    expect(serverNodes.every((n) => n.isConnected)).toBe(true);
    await flush();
    expect(text('[data-total]')).toBe('12');
    expect(text('h1')).toBe('Plans');
    expect(errors).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
    expect(sdk.instances).toBe(1);
    observer.disconnect();
  });
});
