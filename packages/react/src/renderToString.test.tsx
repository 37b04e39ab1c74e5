// Server rendering in plain Node: no `window`, no `document`, the SDK never started, the bootstrap decides.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LeadlightProvider, Personalize, type ScoreLike, useLeadScore, useStage } from './index.js';

const options = { siteKey: 'pk_ssr', endpoint: 'https://collector.example' };
const mql: ScoreLike = { total: 62.5, stage: 'mql', fit: 20, engagement: 42.5, mql: true };

function Page() {
  const score = useLeadScore();
  return (
    <main>
      <p id="total">{score ? score.total : 'unknown'}</p>
      <p id="stage">{useStage() ?? 'none'}</p>
      <Personalize stage="mql sql" fallback={<h1>Plans for every team</h1>}>
        <h1>Welcome back: your tailored quote</h1>
      </Personalize>
      <Personalize minScore={20} maxScore={50}>
        <aside>Warming up</aside>
      </Personalize>
      <Personalize maxScore={10}>
        <aside>New here?</aside>
      </Personalize>
    </main>
  );
}

const render = (bootstrap?: ScoreLike) =>
  renderToString(
    <LeadlightProvider options={options} bootstrap={bootstrap}>
      <Page />
    </LeadlightProvider>,
  );

describe('server rendering (node, no DOM)', () => {
  it('runs where neither window nor document exists', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  it('renders an MQL bootstrap: the MQL block, its score and stage', () => {
    const html = render(mql);
    expect(html).toContain('<h1>Welcome back: your tailored quote</h1>');
    expect(html).not.toContain('Plans for every team');
    expect(html).toContain('<p id="total">62.5</p>');
    expect(html).toContain('<p id="stage">mql</p>');
    expect(html).not.toContain('Warming up');
    expect(html).not.toContain('New here?');
  });

  it('renders a lead in the score band (minScore inclusive, maxScore exclusive)', () => {
    expect(render({ total: 20, stage: 'lead' })).toContain('Warming up');
    expect(render({ total: 49.99, stage: 'lead' })).toContain('Warming up');
    expect(render({ total: 50, stage: 'lead' })).not.toContain('Warming up');
    expect(render({ total: 20, stage: 'lead' })).toContain('<h1>Plans for every team</h1>');
  });

  it('renders a visitor without a bootstrap as a new visitor (score 0), the hooks as unknown', () => {
    const html = render(undefined);
    expect(html).toContain('<p id="total">unknown</p>');
    expect(html).toContain('<p id="stage">none</p>');
    expect(html).toContain('<h1>Plans for every team</h1>');
    expect(html).toContain('<aside>New here?</aside>');
  });

  it('renders the same with a client instead of options, and without any provider', () => {
    const client = { onScore: () => () => {}, score: async () => undefined };
    expect(
      renderToString(
        <LeadlightProvider client={client} bootstrap={mql}>
          <Page />
        </LeadlightProvider>,
      ),
    ).toBe(render(mql));
    expect(renderToString(<Page />)).toBe(render(undefined));
  });
});
