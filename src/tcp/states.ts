import type { TcpState } from '../events.js';

/** The endpoint has sent its FIN. */
export function hasSentFin(s: TcpState): boolean {
  return s === 'FIN_WAIT_1' || s === 'FIN_WAIT_2' || s === 'CLOSING' || s === 'TIME_WAIT' || s === 'LAST_ACK';
}
