// What a salesperson does to a contact from its panel: assign it, move its stage, add a note, erase it.
// Each action says how it went through `report`; the panel only renders and asks.
import type { Stage } from '@leadlight/scoring-core';
import { formatMoney } from '../format.js';
import type { DashboardApi } from './api.js';

/** The actions on one contact. */
export interface SalesActions {
  /** Assigns the contact to `owner`, or unassigns it with null. */
  assign(owner: string | null): Promise<void>;
  /** Moves the contact to a sales stage (`lead`: recycles it); a customer takes the deal's revenue. */
  moveStage(stage: Stage, revenue: number): Promise<void>;
  /** Adds a note; `saved` runs once the collector stored it. */
  addNote(text: string, saved: () => void): Promise<void>;
  /** Erases the contact and everything held about it (the person confirmed already). */
  erase(name: string): Promise<void>;
}

/** How the actions tell the dashboard what happened. */
export interface ActionHooks {
  /** A line for the panel's status. */
  report(text: string): void;
  /** The contact changed: the dashboard refreshes. */
  onChanged(): void;
  /** The contact is gone. */
  onErased(name: string): void;
}

/** The sales actions on contact `id` through the secret API. */
export function salesActions(api: DashboardApi, id: string, hooks: ActionHooks): SalesActions {
  const { report } = hooks;
  return {
    async assign(owner) {
      report(owner ? `Assigning to ${owner}…` : 'Unassigning…');
      try {
        await api.setOwner(id, owner);
        report(owner ? `Assigned to ${owner}.` : 'Unassigned: nobody owns this contact now.');
        hooks.onChanged();
      } catch (error) {
        report(`Not saved: ${(error as Error).message}`);
      }
    },

    async moveStage(stage, revenue) {
      report('Saving…');
      try {
        await api.setStage(id, {
          stage,
          reason: stage === 'lead' ? 'Recycled from the dashboard' : `Marked ${stage} from the dashboard`,
          ...(stage === 'customer' ? { revenue } : {}),
        });
        report(
          stage === 'customer'
            ? `Moved to CUSTOMER with ${formatMoney(revenue)}.`
            : stage === 'lead'
              ? 'Recycled to LEAD.'
              : `Moved to ${stage.toUpperCase()}.`,
        );
        hooks.onChanged();
      } catch (error) {
        report(error instanceof Error ? error.message : String(error));
      }
    },

    async addNote(text, saved) {
      report('Saving the note…');
      try {
        await api.addNote(id, text);
        saved();
        report('Note added.');
        hooks.onChanged();
      } catch (error) {
        report(`Not saved: ${(error as Error).message}`);
      }
    },

    async erase(name) {
      report('Erasing…');
      try {
        await api.eraseLead(id);
        hooks.onErased(name);
      } catch (error) {
        report((error as Error).message);
      }
    },
  };
}
