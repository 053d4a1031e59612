/**
 * The teacher's words: a one-line gloss for each classic state change, and the longer
 * notes `--explain` prints once per report when the capture shows what they are about.
 * Pure data and small functions over states; no I/O.
 */
import type { Side } from '../events.js';
import type { TcpState } from '../tcp/states.js';

/** What a classic step means, for the line under a transition; undefined for the unusual ones. */
export function glossTransition(side: Side, from: TcpState, to: TcpState): string | undefined {
  const key = `${from}>${to}`;
  switch (key) {
    case 'CLOSED>SYN_SENT':
      return `handshake 1 of 3: the ${side} asks to open a connection; its SYN takes one sequence number`;
    case 'LISTEN>SYN_RCVD':
    case 'CLOSED>SYN_RCVD':
      return `handshake 2 of 3: the ${side} accepts, acknowledging the peer's ISN + 1 and sending its own ISN`;
    case 'SYN_SENT>ESTABLISHED':
      return `handshake 3 of 3: the ${side} acknowledges the peer's ISN + 1 and may now send data`;
    case 'SYN_RCVD>ESTABLISHED':
      return `the handshake is complete: the connection is open in both directions`;
    case 'ESTABLISHED>FIN_WAIT_1':
      return `the ${side} has nothing more to send; its FIN closes its own direction only (and takes one sequence number)`;
    case 'ESTABLISHED>CLOSE_WAIT':
      return `the peer will send nothing more; the ${side} may still send (a half-closed connection) until its application closes`;
    case 'FIN_WAIT_1>FIN_WAIT_2':
      return `the peer acknowledged the FIN; the ${side} now waits for the peer's FIN`;
    case 'CLOSE_WAIT>LAST_ACK':
      return `the ${side} closes its direction too, and waits for the ACK of its FIN`;
    case 'FIN_WAIT_2>TIME_WAIT':
    case 'FIN_WAIT_1>TIME_WAIT':
      return `both directions are closed; the ${side} acknowledges the FIN and waits 2×MSL so that late segments die out`;
    case 'LAST_ACK>CLOSED':
      return `the last ACK arrived: the ${side} forgets the connection`;
    case 'FIN_WAIT_1>CLOSING':
      return `the two FINs crossed (a simultaneous close): the ${side} waits for the ACK of its own FIN`;
    case 'CLOSING>TIME_WAIT':
      return `its FIN is acknowledged after the crossing: the ${side} waits 2×MSL`;
    case 'SYN_SENT>CLOSED':
      return `the attempt failed: the ${side}'s connect() reports an error`;
    case 'ESTABLISHED>CLOSED':
    case 'CLOSE_WAIT>CLOSED':
    case 'FIN_WAIT_1>CLOSED':
    case 'FIN_WAIT_2>CLOSED':
      return `a reset ends the connection at once, without a close handshake: data not yet delivered is lost`;
    case 'TIME_WAIT>CLOSED':
      return `TIME_WAIT is over: the ${side} may use this port pair again`;
    default:
      return undefined;
  }
}

/** What the capture showed, as far as the teaching notes care. */
export interface Sightings {
  handshake: boolean;
  fin: boolean;
  /** A FIN that also acknowledged the peer's FIN: the three-segment close. */
  threeSegmentClose: boolean;
  timeWait: boolean;
  closing: boolean;
  reset: boolean;
  refused: boolean;
  midstream: boolean;
}

export function noSightings(): Sightings {
  return { handshake: false, fin: false, threeSegmentClose: false, timeWait: false, closing: false, reset: false, refused: false, midstream: false };
}

export interface TeachingNote {
  title: string;
  text: string;
}

/** The notes worth reading for what was seen, in the order a course would teach them. */
export function teachingNotes(seen: Sightings, mslSeconds: number): TeachingNote[] {
  const notes: TeachingNote[] = [];
  if (seen.handshake || seen.fin) {
    notes.push({
      title: 'Why a SYN and a FIN take a sequence number',
      text: 'Each side numbers the bytes it sends, starting after its initial sequence number (ISN). The SYN and the FIN each take one number of that space, as if they were one byte, so that they can be acknowledged like data: the answer to a SYN with ISN x is ack x + 1, and the answer to a FIN at sequence number y is ack y + 1. That is why the first data byte is ISN + 1 (RFC 9293 §3.4).',
    });
  }
  if (seen.handshake) {
    notes.push({
      title: 'The three-way handshake',
      text: 'Both sides must learn the other\'s ISN and know that it was received: the client sends SYN (its ISN), the server answers SYN-ACK (its own ISN, and ack = client ISN + 1), and the client acknowledges the server\'s ISN + 1. Three segments, because the second carries both the answer and the server\'s own SYN (RFC 9293 §3.5).',
    });
  }
  if (seen.fin) {
    notes.push({
      title: 'Why closing takes four segments',
      text: 'TCP is full duplex: each direction is closed on its own. A FIN says "I will send nothing more", and its ACK confirms it; the other direction stays open until that side sends its own FIN and gets its own ACK. So a close is FIN, ACK, FIN, ACK (RFC 9293 §3.6), and between the two halves the connection is half-closed: the side that received the first FIN (CLOSE_WAIT) may go on sending, and the first side keeps acknowledging what it receives (shutdown(SHUT_WR) closes just one direction like this).' +
        (seen.threeSegmentClose ? ' When the second side closes at once, its FIN rides on the ACK of the first FIN, and the close takes three segments, as in this capture.' : ''),
    });
  }
  if (seen.timeWait) {
    notes.push({
      title: `Why TIME_WAIT lasts 2×MSL (${2 * mslSeconds} s here)`,
      text: `The side that closes first keeps the connection in TIME_WAIT for twice the maximum segment lifetime (MSL, ${mslSeconds} s with --msl). Two reasons: if its last ACK is lost, the peer sends its FIN again, and TIME_WAIT is still there to acknowledge it; and any old segment of this connection still in the network dies out before the same port pair can start a new connection that could mistake it for its own (RFC 9293 §3.6.1). RFC 9293 says MSL is 2 minutes; Linux waits 60 s in all. At the end of a capture a side still in TIME_WAIT is reported as such.`,
    });
  }
  if (seen.closing) {
    notes.push({
      title: 'CLOSING: both sides close at once',
      text: 'When the two FINs cross in the network, each side receives the peer\'s FIN while its own is not yet acknowledged: it goes from FIN_WAIT_1 to CLOSING, and to TIME_WAIT when its FIN is acknowledged. Both sides then pass through TIME_WAIT (RFC 9293 §3.6, figure 13).',
    });
  }
  if (seen.refused) {
    notes.push({
      title: 'Connection refused',
      text: 'When nothing listens on the port, the server\'s stack answers the SYN with RST+ACK (ack = ISN + 1, so the client can tell it is the answer to its SYN). The client goes back to CLOSED and connect() fails with ECONNREFUSED (RFC 9293 §3.10.7.1). A firewall that drops the SYN instead leaves the client retransmitting it.',
    });
  }
  if (seen.reset) {
    notes.push({
      title: 'Resets',
      text: 'A RST ends a connection at once, with no handshake: data not yet delivered is lost. A receiver accepts a RST only when its sequence number is exactly the next one it expects; one that is merely inside the window gets a "challenge ACK" instead, and one outside the window is dropped (RFC 5961 §3), so that an attacker has to guess the exact number to reset a connection.',
    });
  }
  if (seen.midstream) {
    notes.push({
      title: 'A capture that starts in the middle',
      text: 'Without the SYNs the capture cannot show who opened the connection or what the ISNs and window scales were. The tool then takes the side with the higher (ephemeral) port as the client, assumes both sides ESTABLISHED, and marks what follows from those assumptions.',
    });
  }
  return notes;
}
