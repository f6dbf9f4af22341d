/**
 * Map clicks go to the topmost registered handler first (e.g. "place a proposed facility",
 * "move community to bundle", "place an unlocated row"); if none consumes the click, the default is
 * to select the clicked community. Handlers register on mount and unregister on destroy.
 */
export interface MapClick {
  lngLat: [number, number];
  /** id of the community under the pointer, if any */
  communityId: string | null;
  /** the original event's modifier keys */
  shiftKey: boolean;
}
export type ClickHandler = (click: MapClick) => boolean;

const handlers: ClickHandler[] = [];

export function pushClickHandler(h: ClickHandler): () => void {
  handlers.push(h);
  return () => {
    const i = handlers.lastIndexOf(h);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** Returns true when a registered handler consumed the click. */
export function dispatchClick(click: MapClick): boolean {
  for (let i = handlers.length - 1; i >= 0; i--) if (handlers[i](click)) return true;
  return false;
}

/** Whether any handler is active (the map shows a crosshair cursor then). */
export function hasClickHandlers(): boolean {
  return handlers.length > 0;
}
