// Imports a CRM's outcomes from a CSV file: a preview with every row's problems (row and column named), then
// `POST /v1/outcomes` a page at a time, showing what the collector refused, item by item.
import type { OutcomesAnswer } from '@leadlight/scoring-core/wire';
import type { DashboardApi } from './api.js';
import { el } from './element.js';
import { type OutcomeCsv, type OutcomeItem, type OutcomeRow, parseOutcomeCsv } from './outcomeCsv.js';

/** Items per request: the collector takes at most 1,000. */
export const OUTCOME_PAGE = 1000;
const PREVIEW_ROWS = 200;
/** What the preview says of a row the collector took. */
const DONE: Record<string, string> = { ok: 'recorded', unchanged: 'already at that stage' };

/** Sends items a page at a time; answers each item's result in file order (indices across pages). */
export async function sendOutcomes(
  api: Pick<DashboardApi, 'recordOutcomes'>,
  items: OutcomeItem[],
  page = OUTCOME_PAGE,
): Promise<OutcomesAnswer> {
  const answer: OutcomesAnswer = { recorded: 0, results: [] };
  for (let start = 0; start < items.length; start += page) {
    const part = await api.recordOutcomes(items.slice(start, start + page));
    answer.recorded += part.recorded;
    answer.results.push(...part.results.map((r) => ({ ...r, index: r.index + start })));
  }
  return answer;
}

/** The import form: choose a file, see the preview, import the valid rows. */
export function mountOutcomeImport(
  api: DashboardApi,
  now: () => number,
  onImported: (recorded: number) => void,
): HTMLElement {
  const input = el('input', {
    type: 'file',
    id: 'outcome-file',
    accept: '.csv,text/csv',
    'aria-describedby': 'outcome-hint',
  });
  const importButton = el(
    'button',
    { type: 'button', class: 'btn btn-primary', 'data-action': 'import-outcomes', disabled: true },
    'Import',
  );
  const status = el('p', { class: 'model-status', role: 'status', id: 'outcome-status' });
  const preview = el('div', { class: 'table-scroll outcome-preview' });
  let parsed: OutcomeCsv | undefined;

  const problemText = (r: OutcomeRow) =>
    r.problems.map((p) => `row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`).join('; ');

  const showPreview = (csv: OutcomeCsv, results?: Map<number, string>) => {
    const columns = csv.columns;
    preview.replaceChildren(
      el(
        'table',
        { class: 'data-table', 'data-table': 'outcome-preview' },
        el('caption', { class: 'sr-only' }, 'Outcomes in the file, with each row’s problems'),
        el(
          'thead',
          {},
          el('tr', {}, ...['Row', ...columns, 'Check'].map((h) => el('th', { scope: 'col' }, h))),
        ),
        el(
          'tbody',
          {},
          ...csv.rows.slice(0, PREVIEW_ROWS).map((r) => {
            const result = results?.get(r.row);
            const bad = r.problems.length > 0 || (result !== undefined && !DONE[result]);
            return el(
              'tr',
              { 'data-row': r.row, 'data-ok': String(!bad) },
              el('th', { scope: 'row' }, String(r.row)),
              ...columns.map((c) => el('td', {}, r.cells[c] ?? '')),
              el(
                'td',
                { class: bad ? 'error' : 'pos' },
                r.problems.length
                  ? problemText(r)
                  : result === undefined
                    ? 'ready'
                    : (DONE[result] ?? result),
              ),
            );
          }),
        ),
      ),
      ...(csv.rows.length > PREVIEW_ROWS
        ? [el('p', { class: 'sub' }, `The first ${PREVIEW_ROWS} of ${csv.rows.length} rows.`)]
        : []),
    );
  };

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    parsed = undefined;
    importButton.disabled = true;
    preview.replaceChildren();
    if (!file) return;
    const csv = parseOutcomeCsv(await file.text(), now());
    if (csv.problems.length) {
      status.textContent = `${file.name} cannot be imported: ${csv.problems.map((p) => `row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.message}`).join('; ')}.`;
      return;
    }
    parsed = csv;
    const good = csv.rows.filter((r) => r.item).length;
    const bad = csv.rows.length - good;
    status.textContent = `${file.name}: ${good} outcome(s) ready${bad ? `, ${bad} row(s) with problems will be left out` : ''}.`;
    importButton.disabled = good === 0;
    showPreview(csv);
  });

  importButton.addEventListener('click', async () => {
    if (!parsed) return;
    const rows = parsed.rows.filter((r) => r.item);
    importButton.disabled = true;
    status.textContent = `Importing ${rows.length} outcome(s)…`;
    try {
      const answer = await sendOutcomes(
        api,
        rows.map((r) => r.item as OutcomeItem),
      );
      const results = new Map<number, string>();
      for (const result of answer.results) {
        const row = rows[result.index];
        // The API names items by their index in the request; the preview names the file's row instead.
        if (row)
          results.set(
            row.row,
            result.error
              ? result.error.replace(/^items\[\d+\]\./, '')
              : result.unchanged
                ? 'unchanged'
                : 'ok',
          );
      }
      const refused = answer.results.filter((r) => r.error).length;
      status.textContent = `Imported: ${answer.recorded} recorded, ${answer.results.length - answer.recorded - refused} unchanged, ${refused} refused by the collector.`;
      showPreview(parsed, results);
      onImported(answer.recorded);
    } catch (error) {
      status.textContent = `Import failed: ${(error as Error).message}`;
      importButton.disabled = false;
    }
  });

  return el(
    'section',
    { class: 'card', 'aria-labelledby': 'import-title' },
    el('h2', { id: 'import-title' }, 'Import outcomes from your CRM'),
    el(
      'p',
      { class: 'sub', id: 'outcome-hint' },
      'A CSV file with a header row: email, userId or contactId; stage (sql, opportunity, customer, or lead to recycle); revenue and at (the date of the deal) if you have them. Columns in any order.',
    ),
    el('div', { class: 'field' }, el('label', { for: 'outcome-file' }, 'CSV file'), input),
    el('div', { class: 'actions' }, importButton),
    status,
    preview,
  );
}
