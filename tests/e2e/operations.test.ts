import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngestCli } from '../../scripts/ingest/run-cli.ts';
import { hasSharedCorpus, makeSharedCorpusPapersDir } from '../fixtures/shared-corpus.ts';
import { runServerUntilExit, startServer, type ServerProcess } from '../fixtures/server-process.ts';
import { hasChromium, launchChromium } from './harness.ts';

const PAPER = 'jin-euca-end-user-xai';
const ORIGIN = 'https://imimic.example.org';

/** A GET with a Host header of our choosing (fetch does not allow setting it). */
function getWithHost(url: string, host: string): Promise<string> {
	return new Promise((done, fail) => {
		const req = request(url, { headers: { host } }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => done(body));
		});
		req.on('error', fail);
		req.end();
	});
}

describe.skipIf(!hasSharedCorpus)('operations: health, headers, origin and logs', () => {
	let dataDir: string;
	let papersDir: string;
	let server: ServerProcess;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ops-'));
		papersDir = makeSharedCorpusPapersDir({ only: [PAPER] });
		const ingest = runIngestCli(papersDir, dataDir);
		expect(ingest.status, ingest.output).toBe(0);
		server = await startServer({ dataDir, env: { NODE_ENV: 'production', ORIGIN } });
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(dataDir, { recursive: true, force: true });
		rmSync(papersDir, { recursive: true, force: true });
	});

	it('says it is alive, and ready with the build it serves and its age', async () => {
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		const ready = await fetch(`${server.url}/readyz`);
		expect(ready.status).toBe(200);
		const body = await ready.json();
		expect(body.ready).toBe(true);
		expect(body.build).toBe(readFileSync(join(dataDir, 'current'), 'utf8').trim());
		expect(body.papers).toBe(1);
		expect(body.ageSeconds).toBeGreaterThanOrEqual(0);
	});

	it('sends a page a policy that allows its own scripts by hash and never eval or framing', async () => {
		const response = await fetch(`${server.url}/papers/${PAPER}`);
		expect(response.status).toBe(200);
		const policy = response.headers.get('content-security-policy') ?? '';
		const scriptSources = /script-src ([^;]+)/.exec(policy)?.[1].split(' ') ?? [];
		expect(scriptSources).toContain("'self'");
		expect(scriptSources.filter((source) => source.startsWith("'sha256-")).length).toBeGreaterThan(
			1
		);
		expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
		expect(policy).toContain("frame-ancestors 'none'");
		expect(policy).toContain("worker-src 'self'");
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
	});

	it('sends JSON with nosniff and a policy that allows nothing', async () => {
		const response = await fetch(`${server.url}/api/search?q=saliency`);
		expect(response.status).toBe(200);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
	});

	it('names ORIGIN in the sitemap, feed, open data and canonical link whatever Host says', async () => {
		for (const path of ['/sitemap.xml', '/feed.xml', '/data/catalog.json', `/papers/${PAPER}`]) {
			const body = await getWithHost(`${server.url}${path}`, 'evil.example');
			expect(body, path).not.toContain('evil.example');
			expect(body, path).toContain(`${ORIGIN}/`);
		}
	});

	it('answers a malformed URL with 400 and logs it as one JSON line, path as sent', async () => {
		const before = server.log().length;
		const response = await fetch(`${server.url}/topics/%ff%s%d`);
		expect(response.status).toBe(400);
		await new Promise((wake) => setTimeout(wake, 200));
		const lines = server.log().slice(before).trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0])).toMatchObject({ path: '/topics/%ff%s%d', status: 400 });
	});

	it('answers a missing paper with 404 on its page, PDF, page image and API', async () => {
		for (const path of [
			'/papers/nobody',
			'/papers/nobody/pdf',
			'/papers/nobody/page/2.jpg',
			'/api/papers/nobody'
		]) {
			expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
		}
	});

	it.skipIf(!hasChromium)(
		'opens the reader under that policy with no violation: pdf.js and its worker draw the paper',
		async () => {
			const browser = (await launchChromium())!;
			try {
				const page = await browser.newPage();
				const problems: string[] = [];
				page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
				page.on('console', (message) => {
					if (message.type() === 'error') problems.push(`console: ${message.text()}`);
				});
				await page.addInitScript(() => {
					document.addEventListener('securitypolicyviolation', (event) =>
						console.error(`csp: ${event.violatedDirective} ${event.blockedURI}`)
					);
				});
				await page.goto(`${server.url}/papers/${PAPER}?page=2`);
				await page.waitForSelector('.reader[data-status="ready"]');
				await page.waitForFunction(
					() => (document.querySelector('.textLayer')?.textContent ?? '').trim().length > 100
				);
				expect(problems).toEqual([]);
			} finally {
				await browser.close();
			}
		}
	);

	// Last: it publishes a new build under the running server.
	it('serves a page from its cache until a new build is published, then the new build', async () => {
		const pages = [`/papers/${PAPER}`, '/search?q=explainable', '/topics'];
		const before: string[] = [];
		for (const path of pages) before.push(await (await fetch(`${server.url}${path}`)).text());
		for (const [i, path] of pages.entries()) {
			expect(await (await fetch(`${server.url}${path}`)).text(), path).toBe(before[i]);
		}
		expect(server.log()).toContain('"pageCached":true');
		const yaml = readdirSync(papersDir, { recursive: true, encoding: 'utf8' }).find((file) =>
			file.endsWith(`${PAPER}.yaml`)
		)!;
		const file = join(papersDir, yaml);
		writeFileSync(
			file,
			readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "A retitled explainable paper"')
		);
		const ingest = runIngestCli(papersDir, dataDir);
		expect(ingest.status, ingest.output).toBe(0);
		const newBuild = readFileSync(join(dataDir, 'current'), 'utf8').trim();
		await expect
			.poll(async () => (await (await fetch(`${server.url}/readyz`)).json()).build, {
				timeout: 30_000
			})
			.toBe(newBuild);
		for (const path of pages.slice(0, 2)) {
			expect(await (await fetch(`${server.url}${path}`)).text(), path).toContain(
				'A retitled explainable paper'
			);
		}
	});
});

describe('operations: without a build, without ORIGIN', () => {
	it('refuses to start in production without ORIGIN, saying what to set, in one line', async () => {
		const { code, log } = await runServerUntilExit({
			NODE_ENV: 'production',
			ORIGIN: undefined,
			DATA_DIR: mkdtempSync(join(tmpdir(), 'glassbox-ops-empty-'))
		});
		expect(code).not.toBe(0);
		expect(log.trim()).toMatch(/^glassbox: ORIGIN: not set.*ORIGIN=https:\/\//);
	});

	it('answers 503 with Retry-After on every route that needs a build, and /readyz says why', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-ops-empty-'));
		const server = await startServer({ dataDir });
		try {
			for (const path of [
				'/readyz',
				'/',
				'/search?q=x',
				'/api/search?q=x',
				'/papers/x',
				'/papers/x/pdf',
				'/papers/x/page/2.jpg',
				'/papers/x/page1.jpg',
				'/papers/x/text.json',
				'/papers/x/cite.bib',
				'/api/papers/x',
				'/topics',
				'/topics/x',
				'/authors/x',
				'/editions/x',
				'/data/catalog.json',
				'/feed.xml',
				'/sitemap.xml'
			]) {
				const response = await fetch(`${server.url}${path}`);
				expect(response.status, path).toBe(503);
				expect(response.headers.get('retry-after'), path).toMatch(/^\d+$/);
			}
			expect((await (await fetch(`${server.url}/readyz`)).json()).reason).toContain(
				'npm run ingest'
			);
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		} finally {
			await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
