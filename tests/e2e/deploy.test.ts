/**
 * The production layout of deploy/, run for real: Debian's nginx with the shipped site file
 * (deploy/nginx/glassbox.conf, its ports, certificate and cache folder pointed at a temp dir) in
 * front of two Glassbox processes sharing one DATA_DIR. An ingest publishes a new build while
 * readers keep asking; both processes must switch to it and nginx must answer every request.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { request as plainRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngestCli } from '../../scripts/ingest/run-cli.ts';
import {
	freePort,
	residentBytes,
	startServer,
	type ServerProcess
} from '../fixtures/server-process.ts';
import {
	hasSharedCorpus,
	makeSharedCorpusPapersDir,
	sharedPapers
} from '../fixtures/shared-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const hasNginx = existsSync(NGINX);
const FIRST = 'jin-euca-end-user-xai';
const SECOND = 'wang-2020-covid-net';

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** nginx on two free loopback ports (https and http), from the shipped site file. */
async function startNginx(
	upstreamPorts: number[]
): Promise<{ https: number; http: number; dir: string; errors(): string; stop(): Promise<void> }> {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-nginx-'));
	const [https, http] = [await freePort(), await freePort()];
	const made = spawnSync('openssl', [
		'req',
		'-x509',
		'-newkey',
		'rsa:2048',
		'-nodes',
		'-days',
		'1',
		'-subj',
		'/CN=imimic.example.org',
		'-keyout',
		join(dir, 'key.pem'),
		'-out',
		join(dir, 'cert.pem')
	]);
	if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
	const site = readFileSync(join(ROOT, 'deploy/nginx/glassbox.conf'), 'utf8')
		.replace(/server 127\.0\.0\.1:3001/, `server 127.0.0.1:${upstreamPorts[0]}`)
		.replace(/server 127\.0\.0\.1:3002/, `server 127.0.0.1:${upstreamPorts[1]}`)
		.replace(/^\s*listen \[::\]:\d+.*$/gm, '')
		.replace('listen 80;', `listen 127.0.0.1:${http};`)
		.replace('listen 443 ssl http2;', `listen 127.0.0.1:${https} ssl http2;`)
		.replace(
			/\/etc\/letsencrypt\/live\/imimic\.example\.org\/fullchain\.pem/,
			join(dir, 'cert.pem')
		)
		.replace(/\/etc\/letsencrypt\/live\/imimic\.example\.org\/privkey\.pem/, join(dir, 'key.pem'))
		.replace('/var/cache/nginx/glassbox', join(dir, 'cache'));
	expect(site).not.toMatch(/3001|3002|letsencrypt|\/var\/cache/);
	writeFileSync(join(dir, 'glassbox.conf'), site);
	for (const temp of ['client', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
	writeFileSync(
		join(dir, 'nginx.conf'),
		[
			'daemon off;',
			// Run as root (a container), nginx's workers would become `nobody`, who cannot write
			// the cache in this private temp dir; as anyone else they stay that user anyway.
			...(process.getuid?.() === 0 ? ['user root root;'] : []),
			`pid ${join(dir, 'nginx.pid')};`,
			`error_log ${join(dir, 'error.log')} warn;`,
			'events { worker_connections 512; }',
			'http {',
			`  access_log ${join(dir, 'access.log')};`,
			`  client_body_temp_path ${join(dir, 'client')};`,
			`  proxy_temp_path ${join(dir, 'proxy')};`,
			`  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
			`  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
			`  scgi_temp_path ${join(dir, 'scgi')};`,
			'  types { text/html html; }',
			`  include ${join(dir, 'glassbox.conf')};`,
			'}',
			''
		].join('\n')
	);
	const child: ChildProcess = spawn(
		NGINX,
		['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
		{ stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let log = '';
	child.stderr?.on('data', (chunk) => (log += chunk));
	for (const deadline = Date.now() + 20_000; ;) {
		if (child.exitCode !== null) throw new Error(`nginx exited: ${log}`);
		const answered = await new Promise((done) => {
			const req = plainRequest(`http://127.0.0.1:${http}/`, (res) => {
				res.resume();
				done(true);
			});
			req.on('error', () => done(false));
			req.end();
		});
		if (answered) break;
		if (Date.now() > deadline) throw new Error(`nginx did not start: ${log}`);
		await new Promise((wake) => setTimeout(wake, 100));
	}
	return {
		https,
		http,
		dir,
		errors: () => readFileSync(join(dir, 'error.log'), 'utf8'),
		async stop() {
			if (child.exitCode === null) {
				child.kill('SIGQUIT');
				await new Promise((done) => child.once('exit', done));
			}
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** The self-signed test certificate is accepted; connections are kept alive as browsers do. */
const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
	return new Promise((done, fail) => {
		const req = request(
			{ host: '127.0.0.1', port, path, agent, headers, servername: 'imimic.example.org' },
			(res) => {
				let body = '';
				res.setEncoding('latin1');
				res.on('data', (chunk) => (body += chunk));
				res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
			}
		);
		req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${path}`)));
		req.on('error', fail);
		req.end();
	});
}

/** Runs the ingest as a child process without blocking this one (readers keep reading). */
function ingestInBackground(papersDir: string, dataDir: string): Promise<number> {
	const child = spawn(
		process.execPath,
		[
			join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
			join(ROOT, 'scripts/ingest/cli.ts'),
			'--papers',
			papersDir,
			'--out',
			dataDir
		],
		{ cwd: ROOT, stdio: 'ignore' }
	);
	return new Promise((done) => child.on('exit', (code) => done(code ?? 1)));
}

async function readiness(server: ServerProcess): Promise<{ build: string; papers: number }> {
	return (await fetch(`${server.url}/readyz`)).json();
}

describe.skipIf(!hasSharedCorpus || !hasNginx)('deploying behind nginx', () => {
	let dataDir: string;
	let servers: ServerProcess[] = [];
	let nginx: Awaited<ReturnType<typeof startNginx>>;

	beforeAll(async () => {
		expect(sharedPapers().map((paper) => paper.id)).toEqual(
			expect.arrayContaining([FIRST, SECOND])
		);
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-deploy-'));
		const first = runIngestCli(makeSharedCorpusPapersDir({ only: [FIRST] }), dataDir);
		expect(first.status, first.output).toBe(0);
		const env = { NODE_ENV: 'production', ORIGIN: 'https://imimic.example.org' };
		servers = [await startServer({ dataDir, env }), await startServer({ dataDir, env })];
		nginx = await startNginx(servers.map((server) => server.port));
	});

	afterAll(async () => {
		agent.destroy();
		await nginx?.stop();
		await Promise.all(servers.map((server) => server.stop()));
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it('keeps answering every request while an ingest publishes a build both processes switch to', async () => {
		const before = await Promise.all(servers.map(readiness));
		expect(before.map((ready) => ready.papers)).toEqual([1, 1]);
		const statuses = new Map<string, number>();
		const failures: string[] = [];
		let reading = true;
		const paths = [
			'/',
			`/papers/${FIRST}`,
			'/api/search?q=explanation',
			'/topics',
			`/api/papers/${FIRST}`,
			'/authors'
		];
		// Two readers, each a request every 100 ms or so: well under the search rate limit.
		const reader = async (offset: number) => {
			for (let i = offset; reading; i++) {
				const path = paths[i % paths.length];
				try {
					const answer = await get(nginx.https, path);
					statuses.set(String(answer.status), (statuses.get(String(answer.status)) ?? 0) + 1);
					if (answer.status !== 200) failures.push(`${answer.status} ${path}`);
				} catch (error) {
					failures.push(`${(error as Error).message} ${path}`);
				}
				await new Promise((wake) => setTimeout(wake, 100));
			}
		};
		const readers = [reader(0), reader(3)];

		const status = await ingestInBackground(
			makeSharedCorpusPapersDir({ only: [FIRST, SECOND] }),
			dataDir
		);
		expect(status).toBe(0);
		const published = readFileSync(join(dataDir, 'current'), 'utf8').trim();
		expect(published).not.toBe(before[0].build);
		for (const deadline = Date.now() + 60_000; ;) {
			const now = await Promise.all(servers.map(readiness));
			if (now.every((ready) => ready.build === published)) {
				expect(now.map((ready) => ready.papers)).toEqual([2, 2]);
				break;
			}
			if (Date.now() > deadline) throw new Error(`not switched: ${JSON.stringify(now)}`);
			await new Promise((wake) => setTimeout(wake, 250));
		}
		await new Promise((wake) => setTimeout(wake, 1000));
		reading = false;
		await Promise.all(readers);

		expect(failures).toEqual([]);
		expect(statuses.get('200')).toBeGreaterThan(20);
		// nginx spread the readers over both processes (which paths land where depends on the order).
		for (const server of servers) {
			const served = paths.filter((path) =>
				server.log().includes(`"path":"${path.split('?')[0]}"`)
			);
			expect(served.length).toBeGreaterThan(0);
		}
		const search = JSON.parse((await get(nginx.https, '/api/search?q=covid')).body);
		expect(search.hits.map((hit: { id: string }) => hit.id)).toContain(SECOND);
		const memory = await Promise.all(servers.map((server) => residentBytes(server.pid)));
		console.log(
			`deploy: resident memory per process after the switch: ${memory.map((bytes) => `${Math.round((bytes ?? 0) / 2 ** 20)} MB`).join(', ')}`
		);
	});

	it('serves PDFs from its cache after the first request, byte ranges included', async () => {
		const path = `/papers/${FIRST}/pdf`;
		const first = await get(nginx.https, path);
		expect(first.status, nginx.errors()).toBe(200);
		const again = await get(nginx.https, path);
		expect(again.headers['x-cache-status']).toBe('HIT');
		expect(again.body).toBe(first.body);
		const range = await get(nginx.https, path, { range: 'bytes=0-1023' });
		expect(range.status).toBe(206);
		expect(range.body).toBe(first.body.slice(0, 1024));
		expect(range.headers['x-cache-status']).toBe('HIT');
	});

	it('draws a paper page once for many readers, and never caches a search', async () => {
		const page = `/papers/${FIRST}?page=3`;
		await get(nginx.https, page);
		expect((await get(nginx.https, page)).headers['x-cache-status']).toBe('HIT');
		await get(nginx.https, '/search?q=saliency');
		expect(
			(await get(nginx.https, '/search?q=saliency')).headers['x-cache-status']
		).toBeUndefined();
	});

	it('limits a flood of searches from one address with 429, never an error', async () => {
		const answers = await Promise.all(
			Array.from({ length: 60 }, (_, i) => get(nginx.https, `/api/search?q=saliency+${i}`))
		);
		const counts = new Map<number, number>();
		for (const answer of answers) counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
		expect(counts.get(429)).toBeGreaterThan(0);
		expect(counts.get(200)).toBeGreaterThan(0);
		expect([...counts.keys()].every((code) => code === 200 || code === 429)).toBe(true);
	});

	it('sends plain http to the https origin and marks https answers with HSTS', async () => {
		const redirect = await new Promise<{ status: number; location?: string }>((done, fail) => {
			const req = plainRequest(`http://127.0.0.1:${nginx.http}/papers/x?page=2`, (res) => {
				res.resume();
				done({ status: res.statusCode ?? 0, location: res.headers.location });
			});
			req.on('error', fail);
			req.end();
		});
		expect(redirect).toEqual({
			status: 301,
			location: 'https://imimic.example.org/papers/x?page=2'
		});
		const page = await get(nginx.https, '/');
		expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
		expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
	});
});
