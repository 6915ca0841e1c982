import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	fetchRemotePdfs,
	looksLikePdf,
	remotePdfUrl,
	summariseFetch,
	type RemotePdfSource
} from '../../scripts/ingest/fetch-pdf.ts';

/** A small but well-formed one-page PDF, built here so the test needs no binary fixture. */
function tinyPdf(text: string): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>'
	];
	const stream = `BT /F1 12 Tf 10 50 Td (${text}) Tj ET`;
	objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
	let body = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((object, i) => {
		offsets.push(body.length);
		body += `${i + 1} 0 obj\n${object}\nendobj\n`;
	});
	const xref = body.length;
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

/** arXiv's OAI-PMH answer for one id, as its `arXiv` metadata format states the licence. */
function oaiRecord(url: string): string {
	const id = new URL(url, 'http://x').searchParams.get('identifier')?.replace('oai:arXiv.org:', '');
	if (id !== '2003.09871')
		return '<OAI-PMH><error code="idDoesNotExist">No such id</error></OAI-PMH>';
	return `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record><metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>${id}</id><license>http://creativecommons.org/licenses/by-nc-sa/4.0/</license></arXiv></metadata></record></GetRecord></OAI-PMH>`;
}

const GOOD = tinyPdf('open access');
const OTHER = tinyPdf('arxiv copy');
const requests: { path: string; agent: string | undefined }[] = [];
let server: Server;
let base: string;
let closedPort: number;

beforeAll(async () => {
	server = createServer((req, res) => {
		requests.push({ path: req.url ?? '', agent: req.headers['user-agent'] });
		if (req.url?.startsWith('/oai?')) {
			res.writeHead(200, { 'content-type': 'text/xml' }).end(oaiRecord(req.url));
			return;
		}
		switch (req.url) {
			case '/good.pdf':
				res.writeHead(200, { 'content-type': 'application/pdf' }).end(GOOD);
				return;
			case '/arxiv/2003.09871':
				res.writeHead(200, { 'content-type': 'application/pdf' }).end(OTHER);
				return;
			case '/moved':
				res.writeHead(302, { location: '/good.pdf' }).end();
				return;
			case '/slow.pdf':
				// Never answers: the client's timeout must end it.
				return;
			case '/huge-declared.pdf':
				res.writeHead(200, {
					'content-type': 'application/pdf',
					'content-length': String(10 ** 9)
				});
				res.write('%PDF-1.4\n');
				return;
			case '/huge-streamed.pdf': {
				res.writeHead(200, { 'content-type': 'application/pdf' });
				res.write('%PDF-1.4\n');
				const chunk = Buffer.alloc(64 * 1024, 32);
				const pump = () => {
					while (!res.destroyed && res.write(chunk));
					if (!res.destroyed) res.once('drain', pump);
				};
				pump();
				return;
			}
			case '/page.html':
				res
					.writeHead(200, { 'content-type': 'text/html' })
					.end('<html><body>Sign in</body></html>');
				return;
			default:
				res.writeHead(404).end('not found');
		}
	});
	await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	// A port that was free a moment ago: connections to it are refused, like being offline.
	const probe = createServer();
	await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
	closedPort = (probe.address() as AddressInfo).port;
	await new Promise((done) => probe.close(done));
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((done) => server.close(done));
});

const noWait = () => {
	const pauses: number[] = [];
	return { pauses, sleep: async (ms: number) => void pauses.push(ms) };
};

describe('remotePdfUrl', () => {
	it('prefers pdf_url, then derives the arXiv PDF', () => {
		expect(remotePdfUrl({ id: 'a', pdf_url: 'https://x.org/a.pdf', arxiv: '2003.09871' })).toBe(
			'https://x.org/a.pdf'
		);
		expect(remotePdfUrl({ id: 'b', arxiv: '2003.09871' })).toBe('https://arxiv.org/pdf/2003.09871');
		expect(remotePdfUrl({ id: 'c' })).toBeNull();
	});

	it('recognises PDF bytes', () => {
		expect(looksLikePdf(GOOD)).toBe(true);
		expect(looksLikePdf(Buffer.from('<html>'))).toBe(false);
	});
});

describe('fetchRemotePdfs', () => {
	it('downloads each PDF once into the cache, politely, and reuses it next time', async () => {
		const cacheDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-'));
		const papers: RemotePdfSource[] = [
			{ id: 'oa', pdf_url: `${base}/good.pdf` },
			{ id: 'preprint', arxiv: '2003.09871' },
			{ id: 'local', arxiv: '2003.09871', pdfPath: '/somewhere/local.pdf' },
			{ id: 'nothing' }
		];
		const { pauses, sleep } = noWait();
		const before = requests.length;
		const first = await fetchRemotePdfs(papers, cacheDir, {
			arxivPdfBase: `${base}/arxiv/`,
			arxivOaiBase: `${base}/oai`,
			delayMs: 1500,
			sleep,
			contact: 'mailto:organisers@example.org'
		});
		expect(first.map((r) => r.status)).toEqual(['fetched', 'fetched', 'local', 'no-url']);
		expect(readFileSync(first[0].file!)).toEqual(GOOD);
		expect(readFileSync(first[1].file!)).toEqual(OTHER);
		expect(first[0].bytes).toBe(GOOD.byteLength);
		// The arXiv copy's licence comes from OAI-PMH; a pdf_url copy states none.
		expect(first[1].license).toBe('CC BY-NC-SA 4.0');
		expect(first[0].license).toBeUndefined();
		// One pause between two requests, none before the first.
		expect(pauses).toEqual([1500, 1500]);
		const made = requests.slice(before);
		expect(made.map((r) => r.path)).toEqual([
			'/good.pdf',
			'/arxiv/2003.09871',
			'/oai?verb=GetRecord&identifier=oai:arXiv.org:2003.09871&metadataPrefix=arXiv'
		]);
		expect(made[0].agent).toMatch(
			/^Glassbox\/\S+ \(.*open-access PDF.*mailto:organisers@example\.org\)$/
		);

		const again = await fetchRemotePdfs(papers, cacheDir, {
			arxivPdfBase: `${base}/arxiv/`,
			arxivOaiBase: `${base}/oai`,
			sleep
		});
		expect(again.map((r) => r.status)).toEqual(['cached', 'cached', 'local', 'no-url']);
		expect(again[0].file).toBe(first[0].file);
		// The licence is cached with the copy: known offline, never asked twice.
		expect(again[1].license).toBe('CC BY-NC-SA 4.0');
		expect(requests.length).toBe(before + 3);
	});

	it('follows redirects', async () => {
		const cacheDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-'));
		const [result] = await fetchRemotePdfs(
			[{ id: 'r', pdf_url: `${base}/moved` }],
			cacheDir,
			noWait()
		);
		expect(result.status).toBe('fetched');
	});

	it('rejects slow, huge, non-PDF and missing answers and caches none of them', async () => {
		const cacheDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-'));
		const results = await fetchRemotePdfs(
			[
				{ id: 'slow', pdf_url: `${base}/slow.pdf` },
				{ id: 'declared', pdf_url: `${base}/huge-declared.pdf` },
				{ id: 'streamed', pdf_url: `${base}/huge-streamed.pdf` },
				{ id: 'html', pdf_url: `${base}/page.html` },
				{ id: 'gone', pdf_url: `${base}/gone.pdf` }
			],
			cacheDir,
			{ timeoutMs: 400, maxBytes: 1024 * 1024, ...noWait() }
		);
		expect(results.map((r) => [r.id, r.status])).toEqual([
			['slow', 'timeout'],
			['declared', 'too-large'],
			['streamed', 'too-large'],
			['html', 'not-pdf'],
			['gone', 'http-error']
		]);
		expect(results[3].message).toMatch(/not a PDF \(text\/html/);
		expect(results[4].message).toBe('HTTP 404 Not Found');
		expect(readdirSync(cacheDir)).toEqual([]);
	});

	it('offline: reports every paper as unreachable, stops trying after two, and changes nothing', async () => {
		const cacheDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-'));
		const papers = [
			{ id: 'a', pdf_url: `http://127.0.0.1:${closedPort}/a.pdf` },
			{ id: 'b', arxiv: '2003.09871' },
			{ id: 'c', pdf_url: `${base}/good.pdf` }
		];
		const before = requests.length;
		const lines: string[] = [];
		const results = await fetchRemotePdfs(papers, cacheDir, {
			arxivPdfBase: `http://127.0.0.1:${closedPort}/pdf/`,
			log: (line) => lines.push(line),
			...noWait()
		});
		expect(results.map((r) => r.status)).toEqual(['unreachable', 'unreachable', 'unreachable']);
		expect(results[0].message).toBe('ECONNREFUSED');
		expect(lines.slice(0, 2)).toEqual([
			`a: unreachable http://127.0.0.1:${closedPort}/a.pdf: ECONNREFUSED`,
			`b: unreachable http://127.0.0.1:${closedPort}/pdf/2003.09871: ECONNREFUSED`
		]);
		expect(lines[2]).toMatch(/^c: unreachable .*not tried: the first 2 requests found no network$/);
		expect(requests.length).toBe(before);
		expect(summariseFetch(results)).toBe('3 unreachable');
		expect(readdirSync(cacheDir)).toEqual([]);
	});

	it('cacheOnly never touches the network', async () => {
		const cacheDir = join(mkdtempSync(join(tmpdir(), 'glassbox-fetch-')), 'not-yet');
		const before = requests.length;
		const [result] = await fetchRemotePdfs([{ id: 'oa', pdf_url: `${base}/good.pdf` }], cacheDir, {
			cacheOnly: true
		});
		expect(result.status).toBe('not-cached');
		expect(requests.length).toBe(before);
		expect(existsSync(cacheDir)).toBe(false);
	});
});
