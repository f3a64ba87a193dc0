// Runs `ntg serve` on a site for the browser tests and the serve benchmark.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

/**
 * Starts `ntg serve --port PORT` (0: any free port) on `site` with the binary in NTG_BIN.
 * Resolves once it prints its address, to { url, pid, lines, stop }: `lines` is what it
 * has printed, on both streams; `stop` sends SIGINT and resolves when it has exited.
 */
export function startServe(site, port = 0, bin = process.env.NTG_BIN) {
  const child = spawn(bin, ['serve', '--port', String(port), '--root', site], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  readline.createInterface({ input: child.stderr }).on('line', (l) => lines.push(l));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`ntg serve exited (${code}): ${lines.join('\n')}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const address = line.match(/^serving (http:\/\/127\.0\.0\.1:\d+)\/$/);
      if (address) {
        resolve({
          url: `${address[1]}/`,
          pid: child.pid,
          lines,
          stop: () => {
            child.kill('SIGINT');
            return exited;
          },
        });
      }
    });
  });
}
