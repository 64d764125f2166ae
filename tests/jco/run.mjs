// The Code42 component (soar:integration), transpiled by jco, run on Node against the simulator:
// instance create, test-module, alert-get and two chained fetches, plus an error.
//
// node run.mjs <code42 binary> <incydr-sim binary>
//
// Node has no egress allow-list: the component may reach any host the process can. Here the
// environment is emptied and `exit` cannot end the process; nothing else is held back.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';

const here = dirname(fileURLToPath(import.meta.url));
const [code42, simulator] = process.argv.slice(2);
assert.ok(code42 && simulator, 'usage: node run.mjs <code42 binary> <incydr-sim binary>');

// The component as `code42 component` writes it, transpiled to ES modules.
const build = join(here, 'build');
rmSync(build, { recursive: true, force: true });
mkdirSync(build, { recursive: true });
const wasm = join(build, 'code42.wasm');
execFileSync(code42, ['component', '-o', wasm], { stdio: 'inherit' });
execFileSync(join(here, 'node_modules', '.bin', 'jco'),
  ['transpile', wasm, '-o', join(build, 'out'), '--name', 'code42', '--instantiation', 'async', '-q'],
  { stdio: 'inherit' });

// The simulator runs in a process of its own: Node's main thread is blocked while the guest
// waits on the network, so a simulator in this process could never answer.
const sim = spawn(simulator, ['--port', '0', '--sessions', '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
const tenant = JSON.parse(await new Promise((resolve) => createInterface({ input: sim.stdout }).once('line', resolve)));

try {
  const { instantiate } = await import(pathToFileURL(join(build, 'out', 'code42.js')));
  const imports = new WASIShim({ sandbox: { preopens: {}, env: {}, args: [] } }).getImportObject();
  imports['wasi:cli/exit'] = { exit() { throw new Error('the component asked to exit the host'); } };
  const { integration } = await instantiate(undefined, imports);

  const manifest = integration.manifest();
  assert.ok(manifest.commands.some((c) => c.name === 'code42-alert-get'));

  const text = (name, val) => ({ name, value: { tag: 'text', val } });
  const instance = integration.Instance.create([
    text('console_url', tenant.console_url),
    text('api_url', tenant.api_url),
    text('client_id', tenant.client_id),
    text('client_secret', tenant.client_secret),
    text('fetch_time', '30 days'),
    { name: 'fetch_limit', value: { tag: 'integer', val: 3n } },
  ]);
  instance.testModule();

  const first = instance.fetchIncidents(undefined);
  assert.equal(first.incidents.length, 3);
  const second = instance.fetchIncidents(first.nextRunJson);
  assert.equal(second.incidents.length, 3);
  const ids = (result) => result.incidents.map((i) => JSON.parse(i.rawJson).sessionId);
  assert.ok(ids(second).every((id) => !ids(first).includes(id)), 'the second fetch continues from the first');

  const id = ids(first)[0];
  const results = instance.execute('code42-alert-get', [{ name: 'id', value: id }], {});
  assert.equal(results[0].outputsPrefix, 'Code42.SecurityAlert');
  assert.equal(JSON.parse(results[0].outputsJson)[0].ID, id);

  assert.throws(
    () => instance.execute('code42-alert-update', [{ name: 'id', value: id }, { name: 'state', value: 'DONE' }], {}),
    (e) => e.payload?.tag === 'invalid-argument' && e.payload.val.name === 'state',
  );
  console.log(`jco: create, test-module, two fetches (${ids(first).length}+${ids(second).length} incidents), `
    + `alert-get ${id} and an invalid argument, all on Node ${process.version}`);
} finally {
  sim.kill();
}
