import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAbstract } from '../../scripts/ingest/abstract.ts';
import { extractPdf, type ExtractResult } from '../../scripts/ingest/extract.ts';
import {
	corruptPdf,
	draftPage,
	makePdf,
	manyPages,
	notPdf,
	pageWord,
	scannedPage,
	singleColumnPage,
	textLines,
	truncatedPdf,
	twoColumnPage,
	type PageSpec,
	type TextSpec
} from '../fixtures/pdf/make-pdf.ts';

const LIMITS = { maxBytes: 10 * 1024 * 1024, maxPages: 500 };

function pagesOf(result: ExtractResult): string[] {
	if (!result.ok) throw new Error(`expected text, got: ${result.reason}`);
	return result.pages;
}

async function reasonFor(data: Uint8Array, limits = LIMITS): Promise<string> {
	const result = await extractPdf(data, limits);
	if (result.ok) throw new Error(`expected a failure, got text: ${result.pages.join(' | ')}`);
	return result.reason;
}

describe('extractPdf', () => {
	describe('reading order and normalisation', () => {
		it('reads a two-column page title first, then the left column, then the right', async () => {
			const left = [
				'Alpha opens the left',
				'column and bravo',
				'follows it, then',
				'charlie, delta and',
				'echo close it.'
			];
			const right = [
				'Foxtrot opens the right',
				'column and golf',
				'follows it, then',
				'hotel, india and',
				'juliet close it.'
			];
			const pdf = makePdf([
				twoColumnPage({ title: ['Kilo: a Title Across the Page'], left, right })
			]);
			const [page] = pagesOf(await extractPdf(pdf, LIMITS));
			expect(page).toBe(`Kilo: a Title Across the Page ${left.join(' ')} ${right.join(' ')}`);
		});

		describe('a two-column page under a full-width author row', () => {
			const left = [
				'Alpha opens the left column of this page and',
				'bravo follows it on the second line, then the',
				'third line brings charlie, delta and echo to',
				'close the left column at the foot of the page.'
			];
			const right = [
				'Foxtrot opens the right column of the page and',
				'golf follows it on the second line, then the',
				'third line brings hotel, india and juliet to',
				'close the right column at the foot of the page.'
			];
			/** A title, four authors spread across the page with their cities, then the columns. */
			function authorRowPage(extra: TextSpec[] = []): PageSpec {
				const names = ['Ada Lovelace', 'Carl Gauss', 'Emmy Noether', 'Alan Turing'];
				const cities = ['London', 'Brunswick', 'Erlangen', 'Manchester'];
				const cellX = [70, 190, 340, 460];
				return {
					texts: [
						{ text: 'Kilo: a Title Across the Page', x: 150, y: 790, size: 14 },
						...names.map((text, i) => ({ text, x: cellX[i], y: 760, size: 10 })),
						...cities.map((text, i) => ({ text, x: cellX[i] + 5, y: 748, size: 8 })),
						...textLines(left, { x: 50, top: 700, size: 9, leading: 11 }),
						...textLines(right, { x: 310, top: 700, size: 9, leading: 11 }),
						...extra
					]
				};
			}

			it('reads the author row across the page before the columns', async () => {
				const [page] = pagesOf(await extractPdf(makePdf([authorRowPage()]), LIMITS));
				expect(page).toBe(
					'Kilo: a Title Across the Page Ada Lovelace Carl Gauss Emmy Noether Alan Turing ' +
						`London Brunswick Erlangen Manchester ${left.join(' ')} ${right.join(' ')}`
				);
			});

			it('keeps a column heading beside a figure label in its own column', async () => {
				const heading = { text: 'Abstract', x: 50, y: 715, size: 9 };
				const label = { text: 'Figure label', x: 420, y: 715, size: 6 };
				const [page] = pagesOf(
					await extractPdf(makePdf([authorRowPage([heading, label])]), LIMITS)
				);
				expect(page).toContain(`Manchester Abstract ${left.join(' ')} Figure label ${right[0]}`);
			});
		});

		it('expands ligature glyphs', async () => {
			const pdf = makePdf([singleColumnPage(['We \ufb01nd that \ufb02ows a\ufb00ect o\ufb03ces'])]);
			const [page] = pagesOf(await extractPdf(pdf, LIMITS));
			expect(page).toBe('We find that flows affect offices');
			expect(page).not.toMatch(/[\ufb00-\ufb06]/);
		});

		it('rejoins a word hyphenated across a line end', async () => {
			const pdf = makePdf([
				singleColumnPage(['Saliency maps give expla-', 'nations of the model.'])
			]);
			expect(pagesOf(await extractPdf(pdf, LIMITS))).toEqual([
				'Saliency maps give explanations of the model.'
			]);
		});

		it('drops the line numbers of a review draft but keeps numbers in the text', async () => {
			const lines = [
				'Review drafts number their lines',
				'in the margin so that reviewers',
				'can point at them. We trained',
				'on 128 scans from 3 sites and',
				'report results on 64 more.'
			];
			const pdf = makePdf([
				draftPage(lines, 17),
				draftPage(['A second page', 'of the draft', 'continues', 'the numbering', 'here.'], 22)
			]);
			const pages = pagesOf(await extractPdf(pdf, LIMITS));
			expect(pages[0]).toBe(lines.join(' '));
			expect(pages[1]).toBe('A second page of the draft continues the numbering here.');
		});

		it('drops running headers and page numbers, and keeps each page on its own', async () => {
			const pages = pagesOf(await extractPdf(makePdf(manyPages(12)), LIMITS));
			expect(pages).toHaveLength(12);
			pages.forEach((page, index) => {
				expect(page).toContain(pageWord(index + 1));
				expect(page).not.toContain('Glassbox Fixture Proceedings');
				expect(page).not.toMatch(/\d/);
			});
		});

		it('drops rotated watermark text', async () => {
			const body = textLines(['The body text stays.'], { top: 700 });
			const watermark = { text: 'DRAFT', x: 150, y: 300, size: 60, angle: 45 };
			const pdf = makePdf([{ texts: [watermark, ...body] }]);
			expect(pagesOf(await extractPdf(pdf, LIMITS))).toEqual(['The body text stays.']);
		});

		it('reports the title and author of the document information', async () => {
			const pdf = makePdf([singleColumnPage(['Some text.'])], {
				title: 'Saliency for Everyone',
				author: 'Ada Lovelace'
			});
			const result = await extractPdf(pdf, LIMITS);
			expect(result.ok && result.info).toEqual({
				title: 'Saliency for Everyone',
				author: 'Ada Lovelace'
			});
			expect(result.ok && result.pageCount).toBe(1);
		});

		it('warns about pages without text in an otherwise readable file', async () => {
			const pdf = makePdf([singleColumnPage(['A readable first page.']), scannedPage()]);
			const result = await extractPdf(pdf, LIMITS);
			expect(result.ok && result.pages).toEqual(['A readable first page.', '']);
			expect(result.ok && result.warnings).toEqual(['no text on page 2: scanned?']);
		});
	});

	describe('bad input', () => {
		let dir: string;
		beforeAll(async () => {
			dir = await mkdtemp(join(tmpdir(), 'glassbox-extract-'));
		});
		afterAll(async () => {
			await rm(dir, { recursive: true, force: true });
		});

		it('names a zero-byte file', async () => {
			expect(await reasonFor(new Uint8Array(0))).toBe('empty file (0 bytes)');
		});

		it('names a file that is not a PDF without quoting its content', async () => {
			expect(await reasonFor(notPdf())).toBe('not a PDF (no %PDF- header in its first 1 KB)');
		});

		it('names a corrupt PDF', async () => {
			expect(await reasonFor(corruptPdf())).toMatch(/^corrupt: /);
		});

		it('names a truncated PDF', async () => {
			expect(await reasonFor(truncatedPdf())).toMatch(/^truncated: /);
		});

		it('names an encrypted PDF that needs a password', async () => {
			const pdf = makePdf([singleColumnPage(['Secret text.'])], { encrypted: true });
			expect(await reasonFor(pdf)).toBe('encrypted: needs a password');
		});

		it('names a scanned PDF without a text layer', async () => {
			expect(await reasonFor(makePdf([scannedPage(), scannedPage()]))).toBe('no text: scanned?');
		});

		it('refuses a file over the size cap before reading it', async () => {
			const path = join(dir, 'big.pdf');
			await writeFile(path, makePdf(manyPages(3)));
			const result = await extractPdf(path, { maxBytes: 1000, maxPages: 100 });
			expect(result).toEqual({
				ok: false,
				reason: expect.stringMatching(/^too large: \d+ KB > cap 1000 bytes$/)
			});
		});

		it('refuses a document over the page cap', async () => {
			expect(await reasonFor(makePdf(manyPages(60)), { ...LIMITS, maxPages: 50 })).toBe(
				'too many pages: 60 > cap 50'
			);
		});

		it('reads a path as well as bytes, and names a missing file', async () => {
			const path = join(dir, 'paper.pdf');
			await writeFile(path, makePdf([singleColumnPage(['Read from disk.'])]));
			expect(pagesOf(await extractPdf(path, LIMITS))).toEqual(['Read from disk.']);
			const missing = await extractPdf(join(dir, 'missing.pdf'), LIMITS);
			expect(missing.ok ? '' : missing.reason).toMatch(/^unreadable: .*ENOENT/);
		});

		it('gives up on a file that takes longer than its timeout', async () => {
			const result = await extractPdf(makePdf(manyPages(60)), { ...LIMITS, timeoutMs: 0 });
			expect(result).toEqual({ ok: false, reason: 'timed out after 0 s' });
		});

		it('gives up in the middle of a page whose text never comes, naming the page', async () => {
			const started: number[] = [];
			const result = await extractPdf(makePdf(manyPages(3)), {
				...LIMITS,
				timeoutMs: 2000,
				onPage: (page) => {
					started.push(page);
					// Page 2 never finishes: only the file's timeout can end the extraction.
					return page === 2 ? new Promise<void>(() => undefined) : undefined;
				}
			});
			expect(result).toEqual({ ok: false, reason: 'timed out after 2 s on page 2' });
			expect(started).toEqual([1, 2]);
		});

		it('fails a last page that kept the thread busy past the timeout, naming the page', async () => {
			// Past the file's own deadline, which starts a moment later than this one.
			const pastDeadline = Date.now() + 1000 + 100;
			const result = await extractPdf(makePdf(manyPages(3)), {
				...LIMITS,
				timeoutMs: 1000,
				onPage: (page) => {
					// Blocks the thread as a slow pdf.js page does: no timer can fire meanwhile.
					if (page === 3) while (Date.now() <= pastDeadline);
				}
			});
			expect(result).toEqual({ ok: false, reason: 'timed out after 1 s on page 3' });
		});
	});
});

describe('findAbstract', () => {
	const body =
		'Saliency maps are the most common explanation of image classifiers, yet clinicians ' +
		'rarely agree with them. We measure that agreement on three datasets.';

	it('takes an LNCS "Abstract." paragraph up to the keywords', () => {
		const page = `A Title Ada Lovelace University Abstract. ${body} Keywords: saliency · trust. 1 Introduction Text.`;
		expect(findAbstract(page)).toBe(body);
	});

	it('takes an IEEE "Abstract—" paragraph up to the index terms', () => {
		const page = `A Title Abstract—${body} Index Terms—saliency. I. INTRODUCTION Text.`;
		expect(findAbstract(page)).toBe(body);
	});

	it('takes an "Abstract" heading up to the numbered introduction', () => {
		expect(findAbstract(`A Title Authors Abstract ${body} 1 Introduction Deep learning…`)).toBe(
			body
		);
	});

	it('returns null when no abstract is marked', () => {
		expect(findAbstract(`A Title Summary ${body} Statement of need more.`)).toBeNull();
	});

	it('returns null when the abstract runs off the page (no end marker)', () => {
		expect(findAbstract(`A Title Abstract ${body}`)).toBeNull();
	});

	it('ignores the lower-case word "abstract" in running text', () => {
		expect(findAbstract(`We learn an abstract representation. ${body} 1 Introduction`)).toBeNull();
	});

	describe('an abstract that runs onto page 2', () => {
		const firstHalf =
			'Saliency maps are the most common explanation of image classifiers, yet clinicians ' +
			'rarely agree with them. We measure that agree';
		const secondHalf = 'ment on three datasets and find it low for every method we tried.';

		it('takes the continuation up to the keywords line on page 2', () => {
			const first = `A Title Ada Lovelace Abstract. ${firstHalf}ment on three datasets,`;
			const second = `and find it low for every method. Keywords: saliency · trust. 1 Introduction Text.`;
			expect(findAbstract(first, second)).toBe(
				`${firstHalf}ment on three datasets, and find it low for every method.`
			);
		});

		it('stops at a numbered introduction at the top of page 2', () => {
			const first = `A Title Abstract ${body}`;
			expect(findAbstract(first, '1 Introduction Deep learning models…')).toBe(body);
		});

		it('drops the footer of page 1 and the running head of page 2, and rejoins a split word', () => {
			const first =
				`A Title Abstract. ${firstHalf}- © Springer Nature Switzerland AG 2018 ` +
				'M. Reyes et al. (Eds.): iMIMIC 2018, LNCS 11038, pp. 1-9, 2018.';
			const second = `2 A. Lovelace et al. ${secondHalf} Keywords: saliency. 1 Introduction`;
			expect(findAbstract(first, second)).toBe(`${firstHalf}${secondHalf}`);
		});

		it("drops a single author's running head from page 2", () => {
			const first =
				`A Title Abstract. ${firstHalf}- © Springer Nature Switzerland AG 2018 ` +
				'M. Reyes et al. (Eds.): iMIMIC 2018, LNCS 11038, pp. 1-9, 2018.';
			for (const head of ['2 A. Lovelace', '2 A.Lovelace', '12 J.-P. van Dijk', "2 B. O'Neil"]) {
				const second = `${head} ${secondHalf} Keywords: saliency. 1 Introduction`;
				expect(findAbstract(first, second)).toBe(`${firstHalf}${secondHalf}`);
			}
		});

		it('keeps the first word of page 2 after a single-author running head', () => {
			const first = `A Title Abstract. ${body} We also`;
			const second = '2 A. Lovelace Report how often clinicians disagree. Keywords: saliency.';
			expect(findAbstract(first, second)).toBe(
				`${body} We also Report how often clinicians disagree.`
			);
		});

		it('keeps page 1 alone when the abstract ends there', () => {
			const page = `A Title Abstract. ${body} Keywords: saliency. 1 Introduction Text.`;
			expect(findAbstract(page, 'Deep learning models… Keywords: unrelated.')).toBe(body);
		});

		it('returns null when page 2 has no end marker either', () => {
			expect(findAbstract(`A Title Abstract ${body}`, 'More text without a heading.')).toBeNull();
		});
	});
});
