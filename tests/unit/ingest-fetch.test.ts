import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest, type IngestOptions } from '../../scripts/ingest/pipeline.ts';
import { canServePdf } from '../../src/lib/pdf-access.ts';
import { buildDir, readCurrentBuildId } from '../../src/lib/server/data-dir.ts';
import type { Catalog } from '../../src/lib/types.ts';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';

const PDF = makePdf([singleColumnPage(['Counterfactual saliency maps for retinal images.'])]);
const ARXIV_LICENSES: Record<string, string> = {
	'2401.00001': 'http://creativecommons.org/licenses/by/4.0/',
	'2401.00002': 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/'
};

describe('runIngest --fetch', () => {
	let server: Server;
	let base: string;
	let requests = 0;

	beforeAll(async () => {
		server = createServer((request, response) => {
			requests++;
			const url = new URL(request.url ?? '/', 'http://x');
			if (['/open.pdf', '/closed.pdf'].includes(url.pathname) || url.pathname.startsWith('/pdf/')) {
				response.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF);
			} else if (url.pathname === '/oai') {
				// arXiv's OAI-PMH GetRecord answer, with the licence the submitter chose.
				const id = url.searchParams.get('identifier')?.replace('oai:arXiv.org:', '');
				const license = ARXIV_LICENSES[id ?? ''];
				response
					.writeHead(200, { 'content-type': 'text/xml' })
					.end(
						license
							? `<OAI-PMH><GetRecord><record><metadata><arXiv><id>${id}</id><license>${license}</license></arXiv></metadata></record></GetRecord></OAI-PMH>`
							: '<OAI-PMH><error code="idDoesNotExist"/></OAI-PMH>'
					);
			} else response.writeHead(404).end('not here');
		});
		await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
		const address = server.address();
		base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	});
	afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

	async function corpus(): Promise<string> {
		const dir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-'));
		await writeFile(join(dir, 'taxonomy.yaml'), readFileSync('papers/taxonomy.yaml'));
		await mkdir(join(dir, 'imimic-2030'));
		await writeFile(
			join(dir, 'imimic-2030', 'edition.yaml'),
			'title: X\nyear: 2030\ncomplete: true\n'
		);
		const paper = (name: string, extra: string) =>
			writeFile(
				join(dir, 'imimic-2030', `${name}.yaml`),
				`title: Paper ${name}\nauthors: [Ada Lovelace]\npdf_url: ${base}/${name}.pdf\n${extra}`
			);
		await paper('open', 'license: CC BY 4.0\n');
		await paper('closed', '');
		await paper('missing', '');
		return dir;
	}

	const options = (papersDir: string, dataDir: string): IngestOptions => ({
		papersDir,
		dataDir,
		maxPdfBytes: 1 << 20,
		maxPages: 10,
		fetchOptions: { delayMs: 0, timeoutMs: 5000 }
	});

	function catalogOf(dataDir: string, buildId: string): Catalog {
		return JSON.parse(readFileSync(join(buildDir(dataDir, buildId), 'catalog.json'), 'utf8'));
	}

	it('indexes fetched PDFs, serves only redistributable ones and reports what it could not get', async () => {
		const papersDir = await corpus();
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-data-'));

		const offline = await runIngest(options(papersDir, dataDir));
		expect(offline.papersWithPdf).toBe(0);
		expect(requests).toBe(0);

		const report = await runIngest({ ...options(papersDir, dataDir), fetch: true });
		expect(report.papersWithPdf).toBe(2);
		const missing = report.issues.find((issue) => issue.file === 'imimic-2030/missing.yaml');
		expect(missing).toMatchObject({ field: 'pdf_url', severity: 'warning' });
		const papers = catalogOf(dataDir, (await readCurrentBuildId(dataDir))!).papers;
		const open = papers.find((paper) => paper.id === 'open')!;
		const closed = papers.find((paper) => paper.id === 'closed')!;
		expect(open.pdf).toMatchObject({ origin: 'fetched', pageCount: 1 });
		expect(open.words).toBeGreaterThan(4);
		expect(canServePdf(open)).toBe(true);
		expect(closed.pdf?.origin).toBe('fetched');
		expect(canServePdf(closed)).toBe(false);
		expect(closed.pdfUrl).toBe(`${base}/closed.pdf`);

		// Once cached, later ingests use the copies without asking the network again.
		const before = requests;
		const again = await runIngest(options(papersDir, dataDir));
		expect(again.papersWithPdf).toBe(2);
		expect(requests).toBe(before);
	});

	it('records each arXiv copy licence from OAI-PMH and serves only the redistributable copy', async () => {
		const papersDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-arxiv-'));
		await writeFile(join(papersDir, 'taxonomy.yaml'), readFileSync('papers/taxonomy.yaml'));
		await mkdir(join(papersDir, 'imimic-2031'));
		await writeFile(
			join(papersDir, 'imimic-2031', 'edition.yaml'),
			'title: Y\nyear: 2031\ncomplete: true\n'
		);
		for (const [name, arxiv] of [
			['free', '2401.00001'],
			['arxiv-only', '2401.00002']
		]) {
			await writeFile(
				join(papersDir, 'imimic-2031', `${name}.yaml`),
				`title: Paper ${name}\nauthors: [Ada Lovelace]\narxiv: "${arxiv}"\n`
			);
		}
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-fetch-arxiv-data-'));
		const arxiv = { arxivPdfBase: `${base}/pdf/`, arxivOaiBase: `${base}/oai` };
		const lines: string[] = [];

		await runIngest({
			...options(papersDir, dataDir),
			fetchOptions: { ...options(papersDir, dataDir).fetchOptions, ...arxiv },
			log: (line) => lines.push(line)
		});
		// Without --fetch, one sentence says what can be had, instead of a line per paper.
		expect(lines.filter((line) => line.includes('not-cached'))).toEqual([]);
		expect(lines).toContain(
			'fetch: 2 papers have an open-access PDF online (arXiv or pdf_url) that is not downloaded yet; run `npm run ingest -- --fetch` to index their full text'
		);

		const report = await runIngest({
			...options(papersDir, dataDir),
			fetch: true,
			fetchOptions: { ...options(papersDir, dataDir).fetchOptions, ...arxiv }
		});
		expect(report.papersWithPdf).toBe(2);
		const papers = catalogOf(dataDir, (await readCurrentBuildId(dataDir))!).papers;
		const free = papers.find((paper) => paper.id === 'free')!;
		const arxivOnly = papers.find((paper) => paper.id === 'arxiv-only')!;
		expect(free.license).toBe('CC BY 4.0');
		expect(canServePdf(free)).toBe(true);
		expect(arxivOnly.license).toBe('arXiv non-exclusive distribution');
		expect(canServePdf(arxivOnly)).toBe(false);
		expect(arxivOnly.words).toBeGreaterThan(4);
	});
});
