/**
 * Adds a `pagehide` listener whose work survives Firefox closing a site's last tab: Firefox then aborts, once and
 * uncatchably, the script that runs as the tab's process begins to shut down (`dom.abort_script_on_child_shutdown`),
 * often the first pagehide listener. A second listener runs `handler` again when the first did not finish; `handler`
 * marks each piece of work done before sending it (never sent twice) or after (never lost, where a copy is harmless).
 */
export function listenPageHide(
  target: EventTarget,
  handler: (event: Event) => void,
  options?: AddEventListenerOptions,
): void {
  let finished = false;
  const first = (event: Event) => {
    finished = false;
    handler(event);
    finished = true;
  };
  target.addEventListener('pagehide', first, options);
  target.addEventListener('pagehide', (event) => finished || handler(event), options);
}
