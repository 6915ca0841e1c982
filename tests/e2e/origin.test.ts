/**
 * `node build` without ORIGIN names https://<request host> in canonical links and feeds: the
 * server says so once at start, and says nothing when ORIGIN is set.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.ts';

/** Starts the production server, waits until it listens, stops it, and returns what it printed. */
function startupOutput(env: Record<string, string>): Promise<string> {
	const base = { ...process.env };
	delete base.ORIGIN;
	return new Promise((done, fail) => {
		const server = spawn(process.execPath, [join(ROOT, 'build/index.js')], {
			cwd: ROOT,
			env: {
				...base,
				DATA_DIR: mkdtempSync(join(tmpdir(), 'glassbox-origin-')),
				HOST: '127.0.0.1',
				PORT: '0',
				...env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		const timer = setTimeout(() => {
			server.kill();
			fail(new Error(`server did not start:\n${output}`));
		}, 30_000);
		const read = (chunk: Buffer) => {
			output += chunk;
			if (/Listening on/.test(output)) {
				clearTimeout(timer);
				server.kill();
				server.once('exit', () => done(output));
			}
		};
		server.stdout.on('data', read);
		server.stderr.on('data', read);
	});
}

describe('node build and ORIGIN', () => {
	it('warns once at start when ORIGIN is unset', async () => {
		const output = await startupOutput({});
		expect(output.match(/ORIGIN is not set/g)).toHaveLength(1);
	});

	it('says nothing about ORIGIN when it is set', async () => {
		expect(await startupOutput({ ORIGIN: 'https://imimic.example.org' })).not.toContain('ORIGIN');
	});
});
