import { isObject } from '@leadlight/scoring-core';
import type { NoteView, OwnerView } from '@leadlight/scoring-core/wire';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../appContext.js';
import { CollectorError } from '../collectorError.js';
import { requireSecret } from '../requestAuth.js';
import type { RunningSite } from '../siteRegistry.js';
import type { ContactNote } from '../storage/storage.js';

const MAX_NOTE = 2000;
const MAX_OWNER = 100;

/** Splits a contact's stored notes into its notes (oldest first) and its current owner. */
export function notesView(entries: ContactNote[]): { notes: NoteView[]; owner: OwnerView | null } {
  const notes: NoteView[] = [];
  let owner: OwnerView | null = null;
  for (const e of entries) {
    if (e.kind === 'note') notes.push({ at: e.at, by: e.by, text: e.text });
    else owner = e.text === '' ? null : { name: e.text, at: e.at, by: e.by };
  }
  return { notes, owner };
}

/** Who acts: the auth's `by`, with `:<name>` when the body names a person (as stage moves record it). */
function actor(body: Record<string, unknown>, by: string): string {
  if (body.by === undefined) return by;
  if (typeof body.by !== 'string' || body.by.trim() === '' || body.by.length > 200)
    throw new CollectorError('bad_request', 'by: expected a name of 1 to 200 characters');
  return `${by}:${body.by.trim()}`;
}

/**
 * Registers the sales notes endpoints: `POST /v1/leads/:id/notes {text}` adds a note, `PUT
 * /v1/leads/:id/owner {owner}` assigns (or, with null or "", unassigns) the contact; both record who and
 * when, and answer the contact's notes and owner.
 */
export function registerNoteRoutes(app: FastifyInstance, ctx: AppContext): void {
  const write = async (
    request: FastifyRequest,
    read: (body: Record<string, unknown>) => Pick<ContactNote, 'kind' | 'text'>,
  ) => {
    const { site, by } = await requireSecret(ctx, request);
    const body = request.body;
    if (!isObject(body)) throw new CollectorError('bad_request', 'body: expected a JSON object');
    const entry = read(body);
    const who = actor(body, by);
    const id = await findContactId(ctx, site, (request.params as { id: string }).id);
    const note: ContactNote = { ...entry, at: ctx.now(), by: who };
    await ctx.storage.transaction(async (tx) => {
      // The lock orders this after a merge or erasure of the same contact.
      if (!(await tx.lockContact(id)))
        throw new CollectorError('not_found', 'contact merged or removed meanwhile: retry');
      await tx.appendNote(site.config.siteKey, id, note);
    });
    ctx.hub.publish(site.config.siteKey, [
      { type: 'note', data: { contactId: id, kind: note.kind, at: note.at, by: note.by } },
    ]);
    return { contactId: id, ...notesView(await ctx.storage.contactNotes(id)) };
  };

  app.post('/v1/leads/:id/notes', (request) =>
    write(request, (body) => {
      const text = typeof body.text === 'string' ? body.text.trim() : undefined;
      if (!text || text.length > MAX_NOTE)
        throw new CollectorError('bad_request', `text: expected a note of 1 to ${MAX_NOTE} characters`);
      return { kind: 'note', text };
    }),
  );

  app.put('/v1/leads/:id/owner', (request) =>
    write(request, (body) => {
      const owner = body.owner;
      if (owner === null || owner === '') return { kind: 'owner', text: '' };
      if (typeof owner !== 'string' || owner.trim() === '' || owner.length > MAX_OWNER)
        throw new CollectorError(
          'bad_request',
          `owner: expected a name of 1 to ${MAX_OWNER} characters, or null to unassign`,
        );
      return { kind: 'owner', text: owner.trim() };
    }),
  );
}

async function findContactId(ctx: AppContext, site: RunningSite, id: string): Promise<string> {
  const contact = await ctx.storage.getContact(site.config.siteKey, id);
  // Another site's contact is answered exactly like a missing one.
  if (!contact)
    throw new CollectorError('not_found', `no contact ${JSON.stringify(id.slice(0, 100))} on this site`);
  return contact.id;
}
