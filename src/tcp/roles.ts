// Who is the client and who the server, decided from a connection's first captured segment:
// the sender of the first SYN opens (RFC 9293 §3.5); a SYN-ACK first means the SYN was not
// captured; with no SYN at all the side with the higher (ephemeral) port is taken as the client.
import type { Endpoint } from '../events.js';
import { ACK, SYN, type Segment } from '../segment.js';

/** How the first packet of the connection opened it; sets the assumed starting states. */
export type Opening = 'syn' | 'synack' | 'midstream';

export interface Roles {
  opening: Opening;
  client: Endpoint;
  server: Endpoint;
  /** True when no SYN told who opened the connection (mid-stream pickup). */
  guessed: boolean;
  /** How the roles were decided, in words. */
  reason: string;
}

export function decideRoles(first: Segment): Roles {
  const src: Endpoint = { addr: first.src, port: first.sport };
  const dst: Endpoint = { addr: first.dst, port: first.dport };
  if ((first.flags & (SYN | ACK)) === SYN) {
    return { opening: 'syn', client: src, server: dst, guessed: false, reason: 'the client sent the first SYN' };
  }
  if (first.flags & SYN) {
    return {
      opening: 'synack',
      client: dst,
      server: src,
      guessed: false,
      reason: "the first packet is the server's SYN-ACK (the client's SYN is not in the capture)",
    };
  }
  const srcIsClient = first.sport >= first.dport;
  return {
    opening: 'midstream',
    client: srcIsClient ? src : dst,
    server: srcIsClient ? dst : src,
    guessed: true,
    reason:
      'no SYN in the capture: the side with the higher (ephemeral) ' +
      'port is taken as the client; states assumed ESTABLISHED',
  };
}
