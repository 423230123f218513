/** The enhanced form's message when its post got no usable answer (offline, a proxy's error page). */
export const NETWORK_ERROR_MESSAGE =
  "We couldn't reach the server. Check your connection and try again.";

/**
 * A full page load rather than a client-side transition: the server must see the new session cookie
 * on its very first render of the next page. `replace` keeps a spent form out of the back button.
 */
export function leavePageFor(path: string): void {
  window.location.replace(path);
}
