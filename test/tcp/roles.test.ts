import { describe, expect, it } from 'vitest';
import { decideRoles } from '../../src/tcp/roles.js';
import { segment } from '../helpers/segments.js';

describe('roles from the first captured segment', () => {
  it('the SYN sender is the client; a SYN-ACK first makes its receiver the client', () => {
    expect(decideRoles(segment({ from: 'c', flags: 'S', seq: 1 }, 1))).toMatchObject({
      opening: 'syn',
      client: { addr: '10.0.0.1', port: 40000 },
      guessed: false,
    });
    expect(decideRoles(segment({ from: 's', flags: 'S.', seq: 1, ack: 2 }, 1))).toMatchObject({
      opening: 'synack',
      client: { addr: '10.0.0.1', port: 40000 },
      server: { addr: '10.0.0.2', port: 80 },
    });
  });

  it('mid-stream, the higher (ephemeral) port is taken as the client, and it says so', () => {
    const fromServer = decideRoles(segment({ from: 's', flags: '.', seq: 1, ack: 2 }, 1));
    expect(fromServer).toMatchObject({ opening: 'midstream', guessed: true, client: { port: 40000 } });
    expect(fromServer.reason).toContain('higher (ephemeral) port');
  });
});
