import type { Endpoint } from '../events.js';
import { escapeControls } from './terminal/escape.js';

/**
 * "10.0.0.1:80", "[fd00::1]:80" (RFC 3986 brackets around IPv6 addresses). A host name read
 * from a text line may hold anything: its control characters are shown as escapes.
 */
export function formatEndpoint(e: Endpoint): string {
  const addr = escapeControls(e.addr);
  return addr.includes(':') ? `[${addr}]:${e.port}` : `${addr}:${e.port}`;
}

/** The text of `formatEndpoint` split into what can be shortened (the address) and what cannot. */
interface EndpointParts {
  address: string;
  /** ":443" */
  port: string;
  v6: boolean;
}

function parts(text: string): EndpointParts {
  const colon = text.lastIndexOf(':');
  const address = text.slice(0, colon);
  return { address, port: text.slice(colon), v6: address.startsWith('[') };
}

/**
 * Before columns are dropped, an IPv6 address is cut no shorter than the widest IPv4
 * address ("255.255.255.255") in brackets: no worse off than an IPv4 endpoint.
 */
const SOFT_CUT_V6 = 2 + 15;
/** After: down to "[2001:…:7334]", still both ends. */
const HARD_CUT_V6 = 13;

/** Narrowest form before columns are dropped: an IPv6 address cut in the middle, an IPv4 one whole. */
export function endpointOneLineMin(text: string): number {
  const p = parts(text);
  if (!p.v6) return text.length;
  return Math.min(text.length, SOFT_CUT_V6 + p.port.length);
}

/** Narrowest form at all: address and port on two lines. */
export function endpointTwoLineMin(text: string): number {
  const p = parts(text);
  return Math.max(p.v6 ? Math.min(p.address.length, HARD_CUT_V6) : p.address.length, p.port.length);
}

/**
 * The endpoint within `width` columns: whole; else an IPv6 address cut in the middle
 * ("[2001:db8:…:7334]:443"); else address and ":port" on two lines.
 */
export function fitEndpoint(text: string, width: number): string {
  if (text.length <= width) return text;
  const p = parts(text);
  if (p.v6 && width - p.port.length >= HARD_CUT_V6) return `${cutMiddle(p.address, width - p.port.length)}${p.port}`;
  const address = p.v6 ? cutMiddle(p.address, Math.max(width, HARD_CUT_V6)) : p.address;
  return `${address}\n${p.port}`;
}

/**
 * Keeps both ends of a bracketed address with "…" in the middle, in `width` characters:
 * whole groups when they fit ("[2001:db8:…:7334]"), else characters.
 */
function cutMiddle(bracketed: string, width: number): string {
  if (bracketed.length <= width) return bracketed;
  const inner = bracketed.slice(1, -1);
  const keep = width - 3; // brackets and the ellipsis
  const groups = inner.split(':');
  let head = '';
  let tail = '';
  for (let i = 0, j = groups.length - 1; i < j;) {
    const nextHead = `${head}${groups[i]}:`;
    const nextTail = `:${groups[j]}${tail}`;
    // Alternate ends, the front first; stop when neither fits.
    if (head.length <= tail.length && nextHead.length + tail.length <= keep) {
      head = nextHead;
      i++;
      continue;
    }
    if (head.length + nextTail.length <= keep) {
      tail = nextTail;
      j--;
      continue;
    }
    if (nextHead.length + tail.length <= keep) {
      head = nextHead;
      i++;
      continue;
    }
    break;
  }
  if (head === '' || tail === '') {
    const front = Math.ceil(keep / 2);
    return `[${inner.slice(0, front)}…${inner.slice(inner.length - (keep - front))}]`;
  }
  return `[${head}…${tail}]`;
}
