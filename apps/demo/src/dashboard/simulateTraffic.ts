// "Simulate traffic": the simulator's personas replayed from the browser, through the session cookie.
import { httpTransport } from '../simulator/httpTransport.js';
import { planTraffic, runTraffic } from '../simulator/traffic.js';
import type { DashboardContext } from './dashboardContext.js';

/** Plays one round of the personas against this collector, counting on `button`, then refreshes. */
export async function simulateTraffic(ctx: DashboardContext, button: HTMLButtonElement): Promise<void> {
  const { notify } = ctx;
  button.disabled = true;
  try {
    const visitors = planTraffic({ now: Date.now(), origin: location.origin, rounds: 1 });
    const transport = httpTransport({ baseUrl: '', siteKey: ctx.siteKey });
    const report = await runTraffic(visitors, transport, (done, total) => {
      button.textContent = `Simulating… ${done}/${total}`;
    });
    // Sales actions find no contact when the collector took this browser for a bot (a headless one).
    const ignored = report.failures.some((f) => f.includes('no contact id'))
      ? ' The collector stored this browser’s events as automated traffic and scored none of them: see “ignored as automated” below.'
      : '';
    notify(
      report.failures.length
        ? `Simulation: ${report.failures.length} failure(s): ${report.failures[0]}.${ignored}`
        : `Simulated ${report.visitors} visitors, ${report.events} events, ${report.salesActions} sales actions.`,
      report.failures.length ? 'error' : 'info',
    );
  } catch (error) {
    notify(`Simulation failed: ${(error as Error).message}`, 'error');
  } finally {
    button.textContent = 'Simulate traffic';
    button.disabled = false;
  }
  await ctx.refresh();
}
