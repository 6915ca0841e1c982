/**
 * Browser-test harness: a real production server (`node build`) on a freshly ingested corpus,
 * and Debian's headless Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { runIngestCli } from '../../scripts/ingest/run-cli.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/**
 * Path of the Chromium to drive: `CHROMIUM_PATH`, else Debian's. Null when none is found outside
 * CI (tests skip with a notice); under `CI=true` a missing browser is an error.
 */
export function chromiumPath(): string | null {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	const found = candidates.find((path) => path && existsSync(path));
	if (found) return found;
	if (process.env.CI === 'true') {
		throw new Error(
			'CI=true but no Chromium found: install Debian `chromium` or set CHROMIUM_PATH'
		);
	}
	console.warn(
		'browser tests skipped: no Chromium found (install Debian `chromium` or set CHROMIUM_PATH)'
	);
	return null;
}

/** True when browser tests can run; use with `describe.skipIf(!hasChromium)`. */
export const hasChromium = chromiumPath() !== null;

export async function launchChromium(): Promise<Browser | null> {
	const executablePath = chromiumPath();
	if (!executablePath) return null;
	return chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
}

export interface Portal {
	url: string;
	dataDir: string;
	/** Exit status of the ingest that prepared the portal. */
	ingestStatus: number;
	ingestOutput: string;
	/** Runs the ingest again into the same DATA_DIR (the server picks the new build up). */
	reingest(papersDir?: string): { status: number; output: string };
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** Runs `npm run ingest` for `papersDir` into `dataDir`, synchronously. */
export function ingest(papersDir: string, dataDir: string): { status: number; output: string } {
	return runIngestCli(papersDir, dataDir);
}

/**
 * Ingests `papersDir` into a temporary DATA_DIR and starts the production server on a free port.
 * Requires `vite build` output (the e2e global setup builds it once).
 */
export async function startPortal(options: {
	papersDir: string;
	env?: Record<string, string>;
}): Promise<Portal> {
	const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-e2e-'));
	const first = ingest(options.papersDir, dataDir);
	const port = await freePort();
	const server: ChildProcess = spawn(process.execPath, [join(ROOT, 'build/index.js')], {
		cwd: ROOT,
		env: {
			...process.env,
			...options.env,
			DATA_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	server.stdout?.on('data', (chunk) => (log += chunk));
	server.stderr?.on('data', (chunk) => (log += chunk));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`server exited early:\n${log}`);
		try {
			await fetch(url);
			break;
		} catch {
			if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
			await new Promise((wake) => setTimeout(wake, 100));
		}
	}
	return {
		url,
		dataDir,
		ingestStatus: first.status,
		ingestOutput: first.output,
		reingest: (papersDir = options.papersDir) => ingest(papersDir, dataDir),
		async stop() {
			server.kill('SIGTERM');
			await new Promise((done) =>
				server.exitCode !== null ? done(null) : server.once('exit', done)
			);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
