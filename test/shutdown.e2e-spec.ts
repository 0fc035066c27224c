import { connect, type Socket } from 'node:net';
import { startTessera, type TesseraProcess } from './support/tessera-process.js';

/**
 * Issue 6: "Graceful shutdown on SIGTERM finishes in-flight requests." A token request whose body
 * is still arriving when SIGTERM comes is answered in full; the process then exits 0 and takes no
 * new connections meanwhile.
 */
describe('graceful shutdown on SIGTERM', () => {
  let server: TesseraProcess;

  beforeAll(async () => {
    server = await startTessera();
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  function open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  function response(socket: Socket): Promise<string> {
    return new Promise((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
  }

  it('answers a request that is in flight when SIGTERM arrives, refuses new connections, then exits 0', async () => {
    const { id, secret } = server.bootstrapClient;
    const body = 'grant_type=client_credentials';
    const socket = await open();
    const answered = response(socket);
    // Headers and half the body: the request is in flight, the server waits for the rest.
    socket.write(
      [
        'POST /t/admin/oauth2/token HTTP/1.1',
        `Host: 127.0.0.1:${server.port}`,
        `Authorization: Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${body.length}`,
        'Connection: close',
        '',
        body.slice(0, 10),
      ].join('\r\n'),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Shutting down: a new connection is not served.
    const refused = await fetch(`${server.baseUrl}/healthz`).then(
      (res) => res.status,
      () => 'refused',
    );
    expect(refused).not.toBe(200);

    socket.write(body.slice(10));
    const raw = await answered;
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    expect(await exited).toBe(0);
  });
});
