import { peerOf, type Side, type TransitionEvent } from '../events.js';
import { plural, plusOne } from './words.js';
import { together } from './wrap.js';

/**
 * A transition in a teacher's words: which step of the handshake or the close it is, who
 * did what, and the numbers that prove it. The tracker decided the step; this only says it.
 * Numbers stay with their labels when wrapped (print it through the wrap functions).
 */
export function describeTransition(t: TransitionEvent): string {
  const me = `the ${t.side}`;
  const peer = `the ${peerOf(t.side)}`;
  const e = t.evidence;
  switch (t.step) {
    case 'syn-sent':
      return (
        `first handshake: ${me} asks to connect (SYN), ${kv('ISN', e.isn)}` +
        (e.len === undefined ? '' : `; the SYN carries ${plural(e.len, 'byte')} of data`)
      );
    case 'syn-retried-after-reset':
      return `${me} tries again with the very same SYN (${kv('ISN', e.isn)}) after the reset`;
    case 'synack-sent':
      return (
        `second handshake: ${me} acknowledges the SYN (${ackOfIsn(e.ack, e.ackedIsn, peerOf(t.side))}) ` +
        `and sends its own ${kv('ISN', e.isn)} (SYN-ACK)`
      );
    case 'handshake-ack-sent':
      return (
        `third handshake: ${me} acknowledges ${peer}'s SYN ` +
        `(${ackOfIsn(e.ack, e.ackedIsn, peerOf(t.side))}); for ${me} the connection is open`
      );
    case 'handshake-ack-received':
      return `${me} receives that ACK: the handshake is complete, data may flow both ways`;
    case 'simultaneous-syn-sent':
      return `${me} sends its own SYN (${kv('ISN', e.isn)}) while ${peer}'s SYN is on its way: a simultaneous open`;
    case 'simultaneous-syn-crossed':
      return `${peer}'s SYN, already on its way, reaches ${me} after its own went out`;
    case 'simultaneous-syn-received':
      return (
        `${me} receives ${peer}'s SYN (${kv('ISN', e.isn)}) while ` +
        'waiting for an answer to its own: both sides opened at once'
      );
    case 'simultaneous-synack-sent':
      return `${me} answers ${peer}'s SYN with a SYN-ACK (${kv('ack', e.ack)})`;
    case 'simultaneous-synack-received':
      return (
        `${me} receives ${peer}'s SYN-ACK acknowledging its SYN ` +
        `(${kv('ack', e.ack)}): open, without a listener on either side`
      );
    case 'synack-ack-not-captured':
      return `${me} received the SYN-ACK; its answering ACK is not in the capture, but a SYN-ACK is answered at once`;
    case 'ack-sent-synack-not-captured':
      return `${me} sends an ACK, so it received a SYN-ACK that the capture does not hold`;
    case 'synack-not-captured':
      return `${me} must have answered with a SYN-ACK that the capture does not hold`;
    case 'data-sent-handshake-ack-not-captured':
      return `${me} sends data, so the handshake's last ACK reached it (that ACK is not in the capture)`;
    case 'handshake-ack-not-captured':
      return `${peer} is established, so ${me} sent the handshake's last ACK (not in the capture)`;
    case 'fin-sent':
      return (
        `first FIN: ${me} closes its sending direction (${kv('FIN, seq', e.finSeq)}): ` +
        `no more data from the ${t.side}, though it still receives`
      );
    case 'simultaneous-fin-sent':
      return (
        `${me} closes too (${kv('FIN, seq', e.finSeq)}) while ` +
        `${peer}'s FIN is still on its way: a simultaneous close`
      );
    case 'second-fin-sent':
      return `second FIN: ${me} closes its direction too (${kv('FIN, seq', e.finSeq)}) and waits for the last ACK`;
    case 'second-fin-with-ack':
      return (
        `second FIN: ${me} closes its direction too (${kv('FIN, seq', e.finSeq)}), and the same segment ` +
        `acknowledges ${peer}'s FIN (${kv('ack', e.ack)}): FIN and ACK in one, a three-segment close`
      );
    case 'fin-received':
      return (
        `${me} receives the FIN: ${peer} will send no more data; ` +
        `${me} may still send until its own application closes`
      );
    case 'fin-received-while-closing':
      return (
        `${me} receives ${peer}'s FIN before its own FIN was ` +
        'acknowledged: both sides are closing at the same moment'
      );
    case 'second-fin-received':
      return (
        `${me} receives ${peer}'s FIN (${kv('seq', e.finSeq)}): both directions are closed; ` +
        `${me} acknowledges it and waits ${timeWait(e.timeWait)} before forgetting the connection`
      );
    case 'fin-acked':
      return (
        `${peer} acknowledges ${me}'s FIN (${ackOfFin(e.ack, e.finSeq)}): ` +
        `the ${t.side}'s direction is closed; it waits for ${peer}'s FIN`
      );
    case 'fin-acked-by-fin':
      return `${peer}'s FIN also acknowledges ${me}'s FIN (${ackOfFin(e.ack, e.finSeq)})`;
    case 'fin-acked-while-closing':
      return (
        `${peer} acknowledges ${me}'s FIN (${ackOfFin(e.ack, e.finSeq)}): ` +
        `both directions are closed; ${me} waits ${timeWait(e.timeWait)}`
      );
    case 'last-ack-received':
      return (
        `last ACK: ${peer} acknowledges ${me}'s FIN (${ackOfFin(e.ack, e.finSeq)}): ` +
        `the connection is closed for the ${t.side}`
      );
    case 'time-wait-expired':
      return `${timeWait(e.timeWait)} passed in TIME_WAIT: ${me} forgets the connection`;
    case 'time-wait-ended-by-new-syn':
      return `a new SYN on the same port pair ends TIME_WAIT early: the old connection makes way for the new one`;
    case 'refused':
      return (
        `connection refused: ${peer} answers the SYN with a RST (${ackOfIsn(e.ack, e.ackedIsn, t.side)}), ` +
        `so ${me} gives up at once: nothing listens on that port, or a firewall rejects it`
      );
    case 'rst-sent':
      return (
        `${me} aborts the connection with a RST (${kv('seq', e.rstSeq)}): ` +
        'no FIN exchange, data not yet delivered is thrown away'
      );
    case 'rst-received':
      return (
        `${me} accepts the RST (${kv('seq', e.rstSeq)} is exactly ` +
        'the next number it expects): the connection is reset'
      );
    case 'rst-received-in-syn-sent':
      return `${me} accepts the RST, which acknowledges its SYN (${kv('ack', e.ack)}): the connection attempt is reset`;
    case 'rst-received-in-time-wait':
      return `a RST reaches ${me} in TIME_WAIT: RFC 9293 closes; stacks following RFC 1337 ignore it and stay`;
  }
}

/** "seq 1001", kept on one line. */
function kv(label: string, value: number | undefined): string {
  return together(`${label} ${value ?? '?'}`);
}

/** "ack 1001 = client ISN + 1", or what it should have been. */
function ackOfIsn(ack: number | undefined, isn: number | undefined, owner: Side): string {
  if (ack === undefined) return 'ack ?';
  if (isn === undefined) return `${together(`ack ${ack}`)}; the ${owner}'s SYN is not in the capture`;
  return ack === plusOne(isn)
    ? together(`ack ${ack} = ${owner} ISN + 1`)
    : `${kv('ack', ack)}, not ${together(`${owner} ISN + 1 = ${plusOne(isn)}`)}`;
}

/** "ack 1002 = FIN seq + 1" */
function ackOfFin(ack: number | undefined, finSeq: number | undefined): string {
  if (ack === undefined) return 'ack ?';
  return together(finSeq !== undefined && ack === plusOne(finSeq) ? `ack ${ack} = FIN seq + 1` : `ack ${ack}`);
}

/** "2×MSL (60 s)" */
function timeWait(seconds: number | undefined): string {
  return together(seconds === undefined ? '2×MSL' : `2×MSL (${seconds} s)`);
}
