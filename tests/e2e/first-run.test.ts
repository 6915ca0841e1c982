/**
 * The first `npm start` as a newcomer meets it: the site is up with metadata at once; online it
 * fetches the open-access arXiv copies in the background (here from a local imitation of arXiv)
 * and switches to full text by itself; offline it says in one line what full text needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	ARXIV_ONLY,
	CC_BY,
	startArxivImitation,
	type ArxivImitation
} from '../fixtures/arxiv-imitation.ts';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';
import { ROOT } from './harness.ts';

const WORD = 'quokkaplasty';

function papersDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-first-run-'));
	writeFileSync(join(dir, 'taxonomy.yaml'), readFileSync(join(ROOT, 'papers/taxonomy.yaml')));
	mkdirSync(join(dir, 'demo-2031'));
	writeFileSync(
		join(dir, 'demo-2031', 'edition.yaml'),
		'title: Demo\nyear: 2031\ncomplete: true\n'
	);
	writeFileSync(
		join(dir, 'demo-2031', 'free-paper.yaml'),
		'title: Saliency for retinal scans\nauthors: [Ada Lovelace]\narxiv: "2401.00001"\n'
	);
	writeFileSync(
		join(dir, 'demo-2031', 'arxiv-only-paper.yaml'),
		'title: Prototypes for echocardiography\nauthors: [Grace Hopper]\narxiv: "2401.00002"\n'
	);
	return dir;
}

function freePort(): Promise<number> {
	return new Promise((resolvePort) => {
		const probe = createServer();
		probe.listen(0, '127.0.0.1', () => {
			const port = (probe.address() as { port: number }).port;
			probe.close(() => resolvePort(port));
		});
	});
}

interface Started {
	url: string;
	dataDir: string;
	output: () => string;
	stop: () => Promise<void>;
}

async function npmStart(env: Record<string, string>): Promise<Started> {
	const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-first-run-data-'));
	const port = await freePort();
	const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'scripts/start.js')], {
		cwd: ROOT,
		env: {
			...process.env,
			PAPERS_DIR: papersDir(),
			DATA_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1',
			GLASSBOX_OFFLINE: '',
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	return {
		url: `http://127.0.0.1:${port}`,
		dataDir,
		output: () => log,
		async stop() {
			child.kill('SIGTERM');
			await new Promise((done) =>
				child.exitCode !== null ? done(null) : child.once('exit', done)
			);
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

async function until<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	log: () => string
): Promise<T> {
	const deadline = Date.now() + 90_000;
	for (;;) {
		const value = await probe().catch(() => undefined);
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${log()}`);
		await new Promise((wake) => setTimeout(wake, 250));
	}
}

async function hitsFor(url: string, query: string): Promise<number> {
	const response = await fetch(`${url}/api/search?q=${encodeURIComponent(query)}`);
	return (await response.json()).total;
}

describe('npm start on a first run', () => {
	let arxiv: ArxivImitation;
	beforeAll(async () => {
		const pdf = (title: string) =>
			makePdf([singleColumnPage([title, `The ${WORD} method explains each prediction.`])]);
		arxiv = await startArxivImitation({
			'2401.00001': { pdf: pdf('Saliency for retinal scans'), license: CC_BY },
			'2401.00002': { pdf: pdf('Prototypes for echocardiography'), license: ARXIV_ONLY }
		});
	});
	afterAll(() => arxiv.stop());

	it('online: serves metadata at once, then fetches the arXiv copies and switches to full text', async () => {
		const started = await npmStart(arxiv.env);
		try {
			const home = await until(
				'the server',
				async () => {
					const response = await fetch(started.url);
					return response.ok ? response.text() : undefined;
				},
				started.output
			);
			expect(started.output()).toContain(`start: serving on ${started.url}`);
			// Before the copies are in, search has nothing to find in full text.
			expect(home).toContain('data-testid="no-full-text"');
			await until(
				'the progress line',
				async () =>
					started.output().includes('GLASSBOX_OFFLINE=1 npm start turns this off') || undefined,
				started.output
			);
			await until(
				'full text',
				async () => ((await hitsFor(started.url, WORD)) === 2 ? true : undefined),
				started.output
			);
			await until(
				'the closing line',
				async () =>
					started.output().includes('start: first run: 2 of 2 papers now have full text') ||
					undefined,
				started.output
			);
			expect(await (await fetch(started.url)).text()).not.toContain('data-testid="no-full-text"');
			// CC BY lets the reader serve the copy; arXiv's own licence does not.
			expect((await fetch(`${started.url}/papers/free-paper/pdf`)).status).toBe(200);
			expect(
				(await fetch(`${started.url}/papers/arxiv-only-paper/pdf`, { redirect: 'manual' })).status
			).not.toBe(200);
			expect(arxiv.requests.filter((path) => path.startsWith('/pdf/'))).toHaveLength(2);
			expect(arxiv.requests.filter((path) => path.startsWith('/oai?'))).toHaveLength(2);
		} finally {
			await started.stop();
		}
	});

	it('GLASSBOX_OFFLINE=1: serves metadata and says in one line what full text needs, asking nothing', async () => {
		const before = arxiv.requests.length;
		const started = await npmStart({ ...arxiv.env, GLASSBOX_OFFLINE: '1' });
		try {
			await until(
				'the offline line',
				async () => started.output().includes('full text needs the PDFs') || undefined,
				started.output
			);
			const home = await (await fetch(started.url)).text();
			expect(home).toContain('data-testid="no-full-text"');
			expect(home).toContain('npm run ingest');
			expect(arxiv.requests.length).toBe(before);
		} finally {
			await started.stop();
		}
	});

	it('without a network: says the same one line and leaves the cache empty', async () => {
		const closed = await freePort();
		const started = await npmStart({
			GLASSBOX_ARXIV_PDF_BASE: `http://127.0.0.1:${closed}/pdf/`,
			GLASSBOX_ARXIV_OAI_BASE: `http://127.0.0.1:${closed}/oai`
		});
		try {
			await until(
				'the offline line',
				async () => started.output().includes('full text needs the PDFs') || undefined,
				started.output
			);
			expect(JSON.parse(readFileSync(join(started.dataDir, 'first-run.json'), 'utf8')).state).toBe(
				'offline'
			);
			expect(await hitsFor(started.url, WORD)).toBe(0);
			expect(existsSync(join(started.dataDir, 'cache/remote-pdf/index.json'))).toBe(false);
		} finally {
			await started.stop();
		}
	});
});
