/**
 * Svelte action: move an element to <body>. The presentation chrome and the print sheet are launched from
 * the app header, which presentation and print hide; moved out, they stay visible while it is hidden.
 */
export function portal(node: HTMLElement) {
  document.body.appendChild(node);
  return {
    destroy() {
      node.remove();
    },
  };
}
