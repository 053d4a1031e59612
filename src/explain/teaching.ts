/**
 * The longer teaching notes `--explain` adds once at the end of a report: why TCP behaves
 * the way the timeline showed. Each note belongs to a topic, and a topic is printed only
 * when something in the report called for it. Pure data and text: no I/O.
 */

/** What a report can have shown that a note explains. */
export type TeachingTopic =
  | 'sequence-space'
  | 'handshake'
  | 'refused'
  | 'close'
  | 'three-segment-close'
  | 'half-close'
  | 'closing'
  | 'time-wait'
  | 'reset'
  | 'midstream';

export interface TeachingNote {
  topic: TeachingTopic;
  title: string;
  /** The RFC sections it follows, e.g. "RFC 9293 §3.5, §3.4.1". */
  refs: string;
  /** One short paragraph. */
  text: string;
}

export interface TeachingContext {
  /** Maximum segment lifetime used for this report, in seconds (`--msl`). */
  mslSeconds: number;
  /** Everything the report showed. */
  topics: ReadonlySet<TeachingTopic>;
}

/** The notes in the order a course would teach them. */
const NOTES: readonly ((ctx: TeachingContext) => TeachingNote)[] = [
  () => ({
    topic: 'sequence-space',
    title: 'SYN and FIN each take one sequence number',
    refs: 'RFC 9293 §3.4',
    text:
      'Every byte of data has a sequence number, and so do two control flags: the SYN takes ' +
      'the number just before the first data byte, the FIN the number just after the last one. ' +
      'That is what lets them be acknowledged, and sent again if lost, ' +
      'exactly like data, since an ACK names the next number its sender expects. ' +
      'So the answer to a SYN with ISN x carries ack x + 1, and a FIN at sequence ' +
      'number y is acknowledged with ack y + 1, although neither carried a byte. ' +
      'A RST takes no number: nothing acknowledges it.',
  }),
  () => ({
    topic: 'handshake',
    title: 'The three-way handshake',
    refs: 'RFC 9293 §3.5, §3.4.1',
    text:
      'Each side picks an initial sequence number (ISN) and must learn that the other received it. ' +
      "The client's SYN carries the client's ISN; the server's SYN-ACK acknowledges it (ack = client ISN " +
      "+ 1) and carries the server's ISN; the client's ACK acknowledges that one (ack = server ISN + 1). " +
      'Three segments are the fewest that send both ISNs and acknowledge both, ' +
      'and they let a side tell a current SYN from an old duplicate still in the network. ' +
      'The server is in SYN_RCVD for only one round trip, which is why netstat or ss rarely show that state.',
  }),
  () => ({
    topic: 'refused',
    title: 'Connection refused',
    refs: 'RFC 9293 §3.5.2, §3.10.7.3',
    text:
      'A SYN that reaches a port where nothing listens is answered with a RST that acknowledges it (ack = ISN + 1). ' +
      'The client accepts that RST because it acknowledges its SYN; it goes from ' +
      'SYN_SENT back to CLOSED and its connect() fails at once with ECONNREFUSED. ' +
      'The server side never had a connection and stays CLOSED. ' +
      'A firewall that rejects with a TCP reset looks the same on the wire; ' +
      'one that silently drops leaves the client resending its SYN instead.',
  }),
  ({ topics }) => ({
    topic: 'close',
    title: 'Why closing takes four segments',
    refs: topics.has('three-segment-close') ? 'RFC 9293 §3.6, §3.10.7.4' : 'RFC 9293 §3.6',
    text:
      'A connection is two byte streams, one in each direction (full duplex), and each is closed on its own. ' +
      'A FIN only means "no more data from me": its sender goes to FIN_WAIT_1, ' +
      'and to FIN_WAIT_2 once the FIN is acknowledged, ' +
      'while the other side goes to CLOSE_WAIT, where it may keep sending until its own application closes. ' +
      'Its FIN then moves it to LAST_ACK, and the ACK of that FIN closes it. ' +
      'A FIN and an ACK in each direction make four segments.' +
      (topics.has('three-segment-close')
        ? ' Here a side closed as soon as it learned of the first FIN, so its FIN also ' +
          'carried the ACK of the first one (FIN+ACK) and the close took three segments: ' +
          'the first side then passes through FIN_WAIT_2 on that one segment, ' +
          'because the ACK field is processed before the FIN bit.'
        : ''),
  }),
  () => ({
    topic: 'half-close',
    title: 'Half-close: data after a FIN',
    refs: 'RFC 9293 §3.6.1',
    text:
      "In this capture a side kept sending after the other side's FIN. That is legal and intended: " +
      'the side that sent the FIN (with shutdown() for writing, ' +
      'say) has promised to send nothing more, but it still receives, ' +
      'and the side in CLOSE_WAIT may send as much as it likes before it closes its own direction. ' +
      'A program uses this to say "that was my whole request" and still read the whole answer.',
  }),
  () => ({
    topic: 'closing',
    title: 'CLOSING: both sides closed at the same moment',
    refs: 'RFC 9293 §3.6',
    text:
      'CLOSING appears only in a simultaneous close: a side that has sent its FIN (FIN_WAIT_1) receives the ' +
      'FIN of the other side before its own FIN is acknowledged, because the two FINs crossed on the wire. ' +
      'It acknowledges the FIN it received, waits for the ACK of its own, and then goes to TIME_WAIT. ' +
      'As both sides closed first, both can end in TIME_WAIT.',
  }),
  ({ mslSeconds }) => ({
    topic: 'time-wait',
    title: 'Why TIME_WAIT lasts 2×MSL',
    refs: 'RFC 9293 §3.6, §3.4.2',
    text:
      'The side that closes first ends in TIME_WAIT and stays there for twice the maximum ' +
      'segment lifetime (MSL) before it forgets the connection. There are two reasons. ' +
      'Its last ACK may be lost: the other side then sends its FIN again, and only a side that ' +
      'still remembers the connection can acknowledge it again instead of answering with a RST. ' +
      'And old duplicate segments of this connection must have died out in the network ' +
      'before the same addresses and ports carry a new connection that might accept them. ' +
      'RFC 9293 takes an MSL of 2 minutes; Linux holds TIME_WAIT for 60 s. This report used ' +
      `an MSL of ${mslSeconds} s (--msl), so TIME_WAIT lasts ${2 * mslSeconds} s here; ` +
      'when the capture ends sooner, the final state stays TIME_WAIT.',
  }),
  () => ({
    topic: 'reset',
    title: 'Resets and the exact sequence number',
    refs: 'RFC 9293 §3.5.2, §3.5.3; RFC 5961 §3.2',
    text:
      'A RST ends a connection at once: no FIN exchange, nothing is acknowledged, and data still ' +
      'in flight or not yet read is thrown away; the application sees "connection reset by peer". ' +
      'Because a forged RST could end any connection, a receiver following RFC 5961 (Linux ' +
      'does) accepts a RST only when its sequence number is exactly the next one it expects. ' +
      'A RST that is merely inside the receive window gets a challenge ACK carrying the exact number, ' +
      'which only the real peer can answer with a valid RST; a RST outside the window is dropped.',
  }),
  () => ({
    topic: 'midstream',
    title: 'A capture that starts in the middle of a connection',
    refs: 'RFC 9293 §3.5',
    text:
      'Some connections here were already open when the capture began: no SYN was seen. ' +
      'Without the handshake the roles are guessed (the side with the higher, ' +
      'ephemeral port is taken as the client), both sides are assumed ESTABLISHED, ' +
      'the ISNs and the window scale are unknown, and sequence numbers are judged from the first packet seen. ' +
      'The states of these connections are marked as assumed; ' +
      'start the capture before the connection opens to see the real ones.',
  }),
];

/** The notes relevant to what the report showed, in teaching order. */
export function teachingNotes(ctx: TeachingContext): TeachingNote[] {
  const notes: TeachingNote[] = [];
  for (const make of NOTES) {
    const note = make(ctx);
    if (ctx.topics.has(note.topic)) notes.push(note);
  }
  return notes;
}
