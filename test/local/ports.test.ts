/**
 * Emulator ports: below the kernel's ephemeral range (where outgoing connections take their source ports),
 * and a start that lost its port to another program is recognised, so the runtime starts again.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, isPortTaken } from '../../local/ports';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

test('free ports lie below the ephemeral range and can be bound', async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(20000);
    expect(port).toBeLessThan(Math.max(21000, ephemeralLow));
  }
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ports[0], '127.0.0.1', () => resolve());
  });
  await new Promise((r) => server.close(r));
});

test('a taken port is told apart from other start failures', async () => {
  const port = await freePort();
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', () => resolve()));
  const clash = await new Promise<Error>((resolve) => {
    const second = createServer();
    second.once('error', resolve);
    second.listen(port, '127.0.0.1');
  });
  await new Promise((r) => holder.close(r));
  expect(isPortTaken(clash)).toBe(true);
  expect(isPortTaken(new Error('DynamoDB Local exited: java.net.BindException: Address already in use'))).toBe(true);
  expect(isPortTaken(new Error('could not start java for DynamoDB Local (is Java installed?)'))).toBe(false);
});
