/**
 * Two tabs of the planner on one browser: every edit is sent to the other tabs (BroadcastChannel) with its
 * revision and the revision it was made on (./persist.ts `Rev`). A tab that holds exactly that base takes
 * the edit over at once (it sees the other tab's work live). A tab that holds something else has work of
 * its own the sender has not seen: that is a conflict, and the user is asked which version to keep;
 * nothing is overwritten silently. The database write itself is guarded too (Web Lock + revision check).
 */
import { revId, type JournalEntry, type Rev } from './persist';

export const CHANNEL = 'jiangbei-planner.tabs';

export interface TabEdit {
  type: 'edit';
  rev: Rev;
  base: Rev | null;
  text: string;
  /** the user chose this version over the other tab's (conflict resolved by "keep this tab's version") */
  force?: boolean;
}

export type Incoming = { kind: 'follow'; edit: TabEdit } | { kind: 'conflict'; edit: TabEdit };

/** Decide what a tab holding `mine` does with another tab's edit. Pure. */
export function judge(mine: Rev | null, edit: TabEdit): Incoming | null {
  if (revId(edit.rev) === revId(mine)) return null; // already here
  // made on what this tab holds, or chosen by the user over this tab's version ("keep mine" there)
  if (edit.force || revId(edit.base) === revId(mine)) return { kind: 'follow', edit };
  return { kind: 'conflict', edit };
}

export class TabChannel {
  private ch: BroadcastChannel | null;

  constructor(onEdit: (e: TabEdit) => void, name = CHANNEL) {
    this.ch = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(name) : null;
    this.ch?.addEventListener('message', (ev: MessageEvent) => {
      const m = ev.data as TabEdit;
      if (m && m.type === 'edit' && typeof m.text === 'string' && m.rev && typeof m.rev.n === 'number') onEdit(m);
    });
  }

  send(entry: JournalEntry): void {
    try {
      this.ch?.postMessage({ type: 'edit', rev: entry.rev, base: entry.base, text: entry.text, force: entry.force } satisfies TabEdit);
    } catch {
      // a closed channel (page going away): the database revision check still guards the save
    }
  }

  close(): void {
    this.ch?.close();
    this.ch = null;
  }
}
