/**
 * Drag-and-drop anywhere on the window opens the import mode with the dropped file. The listeners are set at
 * start (main.ts); the import code itself (import.svelte.ts) is not in the start bundle and loads on the
 * first drag, so a file dropped before any mode was opened still opens the import.
 */
const importing = () => import('./import.svelte');

export function listenForDrops(): void {
  window.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    void importing().then((m) => (m.importState.dragging = '…'));
  });
  window.addEventListener('dragleave', (e) => {
    if (e.relatedTarget === null) void importing().then((m) => (m.importState.dragging = null));
  });
  window.addEventListener('drop', (e) => {
    const f = e.dataTransfer?.files?.[0];
    // another drop target (e.g. a rubric or project file field) handled it already
    const mine = !!f && !e.defaultPrevented;
    if (mine) e.preventDefault();
    void importing().then((m) => {
      m.importState.dragging = null;
      if (mine && f) void m.importState.openFile(f);
    });
  });
}
