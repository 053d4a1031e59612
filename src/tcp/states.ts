/** RFC 9293 §3.3.2 connection states, spelled as netstat and most tools print them. */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RCVD',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/** The endpoint has sent its FIN. */
export function hasSentFin(s: TcpState): boolean {
  return s === 'FIN_WAIT_1' || s === 'FIN_WAIT_2' || s === 'CLOSING' || s === 'TIME_WAIT' || s === 'LAST_ACK';
}
