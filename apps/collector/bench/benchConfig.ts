/** The site the benchmark loads: the DESIGN.md §3 model, and a rate limit high enough for one load generator. */
export function benchConfig() {
  return {
    sites: [
      {
        siteKey: 'pk_bench',
        secretKey: 'sk_bench_secret_0123',
        origins: ['http://127.0.0.1:8787'],
        rateLimit: { perMinute: 1_000_000_000, burst: 1_000_000_000 },
        model: {
          version: 'bench',
          halfLifeDays: 30,
          rules: [
            { id: 'pricing', event: 'page_view', match: { path: '/pricing*' }, points: 10, max: 3 },
            { id: 'whitepaper', event: 'download', match: { ext: ['pdf'] }, points: 5 },
            {
              id: 'paid-ad',
              event: 'page_view',
              match: { utm_medium: ['cpc', 'ppc', 'paid'] },
              points: 5,
              max: 1,
            },
            { id: 'careers', event: 'page_view', match: { path: '/careers*' }, points: -10, max: 1 },
          ],
          fit: [
            { id: 'big-company', trait: 'companySize', gte: 200, points: 15 },
            { id: 'buyer-role', trait: 'role', in: ['vp', 'director', 'head', 'cxo'], points: 10 },
          ],
          mql: { total: 50, fit: 10 },
        },
      },
    ],
  };
}
