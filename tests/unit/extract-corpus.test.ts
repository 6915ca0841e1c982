import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { findAbstract } from '../../scripts/ingest/abstract.ts';
import { extractPdf } from '../../scripts/ingest/extract.ts';

const PDF_DIR = join(import.meta.dirname, '../../../shared/corpus/pdf');
const LIMITS = { maxBytes: 50 * 1024 * 1024, maxPages: 500 };

async function extractedPages(file: string): Promise<string[]> {
	const result = await extractPdf(join(PDF_DIR, file), LIMITS);
	if (!result.ok) throw new Error(`${file}: ${result.reason}`);
	return result.pages;
}

/** What pdf.js itself gives for each page, items joined by spaces, without its Unicode clean-up. */
async function rawPages(file: string): Promise<string[]> {
	const data = new Uint8Array(await readFile(join(PDF_DIR, file)));
	const doc = await getDocument({ data, isEvalSupported: false, verbosity: 0 }).promise;
	try {
		const pages: string[] = [];
		for (let number = 1; number <= doc.numPages; number++) {
			const page = await doc.getPage(number);
			const content = await page.getTextContent({ disableNormalization: true });
			pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
			page.cleanup();
		}
		return pages;
	} finally {
		await doc.destroy();
	}
}

/** How many standalone integers follow the previous standalone integer plus one: line numbers. */
function countingIntegers(text: string): number {
	const integers = [...text.matchAll(/(?<![\p{L}\p{N}.,])\d{1,3}(?![\p{L}\p{N}]|[.,]\d)/gu)].map(
		(match) => Number(match[0])
	);
	return integers.filter((value, i) => i > 0 && value === integers[i - 1] + 1).length;
}

describe.skipIf(!existsSync(PDF_DIR))('extractPdf on the shared corpus', () => {
	it('reads the first page of the AAAI two-column paper left column first', async () => {
		const [first] = await extractedPages('jin-2022-evaluating-xai-multimodal.pdf');
		const order = [
			'Evaluating Explainable AI on a Multi-Modal Medical Imaging Task',
			'Abstract Being able to explain the prediction',
			'1 Introduction Being able to explain decisions',
			'All rights reserved.',
			"model's prediction. Despite many explanation algorithms"
		].map((phrase) => first.indexOf(phrase));
		expect(order.every((at) => at >= 0)).toBe(true);
		expect(order).toEqual([...order].sort((a, b) => a - b));
	});

	it('reads the IEEE author row across both columns, before the abstract', async () => {
		const [first] = await extractedPages('jin-bridging-xai-taxonomy-abstract.pdf');
		expect(first).toMatch(
			/^Bridging AI Developers and End Users: an End-User-Centred Explainable AI Taxonomy and Visual Vocabularies Weina Jin\W* Sheelagh Carpendale\W* Ghassan Hamarneh\W* Diane Gromala\W* (?:Simon Fraser University ){4}ABSTRACT Researchers in the re-emerging field/
		);
	});

	it('reads a line with a subscript from its start, the hyphenated word before it rejoined', async () => {
		// "We de-" / "fine φ^feat_m to be the importance…": pdf.js puts the text after the subscript
		// a rounding error above the line's start, which once read "We dem to be … on fine φfeat".
		const pages = await extractedPages('jin-2022-evaluating-xai-multimodal.pdf');
		expect(pages[4]).toMatch(
			/We define φ ?feat ?m to be the importance of the localized feature on each modality/
		);
	});

	it('rejoins hyphenated words and keeps real compounds in the AAAI paper', async () => {
		const [first] = await extractedPages('jin-2022-evaluating-xai-multimodal.pdf');
		expect(first).toContain("important features for AI models' prediction");
		expect(first).toContain('the clinically-important-but-technically-ignored problem');
		expect(first).not.toMatch(/\p{L}- \p{Ll}/u);
	});

	it('expands every ligature of the 52-page ACM paper', async () => {
		const file = 'jin-euca-end-user-xai.pdf';
		const raw = (await rawPages(file)).join(' ');
		const ligatureWords = [...raw.matchAll(/\p{L}*[\ufb00-\ufb06]\p{L}*/gu)].map((m) => m[0]);
		expect(ligatureWords.length).toBeGreaterThan(5);
		const text = (await extractedPages(file)).join(' ');
		expect(text).not.toMatch(/[\ufb00-\ufb06]/);
		for (const word of new Set(ligatureWords)) expect(text).toContain(word.normalize('NFKC'));
		expect(text).toMatch(/\bfindings\b/);
	});

	it.each(['sinha-mrdataset-joss.pdf', 'hsi-wizard-joss.pdf'])(
		'drops the line numbers of the JOSS draft %s',
		async (file) => {
			const raw = (await rawPages(file)).join(' ');
			expect(countingIntegers(raw)).toBeGreaterThan(50);
			const text = (await extractedPages(file)).join(' ');
			expect(countingIntegers(text)).toBeLessThan(5);
		}
	);

	it('drops running headers that repeat on every page', async () => {
		const pages = await extractedPages('jin-euca-end-user-xai.pdf');
		const raw = await rawPages('jin-euca-end-user-xai.pdf');
		const header = 'EUCA: the End-User-Centered XAI Framework';
		expect(raw.filter((page) => page.includes(header)).length).toBeGreaterThan(10);
		expect(pages.filter((page) => page.includes(header))).toEqual([]);
	});

	it('puts accents drawn as separate glyphs back on their letters', async () => {
		const [first] = await extractedPages('graziani-2018-regression-concept-vectors.pdf');
		expect(first).toContain('Henning Müller');
	});

	it('finds the marked abstracts and none where the first page has no abstract', async () => {
		const firstPage = async (file: string) => (await extractedPages(file))[0];
		expect(findAbstract(await firstPage('graziani-2018-regression-concept-vectors.pdf'))).toMatch(
			/^Explanations for deep neural network predictions .* statistical analysis\.$/
		);
		expect(findAbstract(await firstPage('jin-2022-evaluating-xai-multimodal.pdf'))).toMatch(
			/^Being able to explain the prediction .* on multi-modal explanation\.$/
		);
		expect(findAbstract(await firstPage('sinha-mrdataset-joss.pdf'))).toBeNull();
	});

	it('follows an abstract that starts on page 1 onto page 2, up to its keywords', async () => {
		const [first, second] = await extractedPages('jin-clinical-utility-glioma.pdf');
		expect(findAbstract(first)).toBeNull();
		const abstract = findAbstract(first, second);
		expect(abstract).toMatch(
			/^Clinical evaluation evidence and model explainability .* alone, physicians' task performance increased to 87\.7/
		);
		expect(abstract).toMatch(/explainable AI techniques for future improvement\.$/);
	});
});
