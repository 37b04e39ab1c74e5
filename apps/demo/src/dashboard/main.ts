// The dashboard page's script (rollup's entry for dashboard/dashboard.js).
import { DashboardApi } from './api.js';
import { createDashboard } from './createDashboard.js';

const siteKey =
  document.querySelector<HTMLMetaElement>('meta[name="leadlight-site-key"]')?.content ?? 'pk_demo';
createDashboard(document, new DashboardApi(), siteKey).start();
