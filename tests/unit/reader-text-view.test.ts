import { describe, expect, it } from 'vitest';
import { findUnitsOfQuery } from '../../src/lib/components/reader/query.ts';
import { findInPage, INDEX_LIKE, preparePage } from '../../src/lib/components/reader/match.ts';
import { highlightOfSpec } from '../../src/lib/text/match-ranges.ts';
import {
	ReadingModes,
	parseStoredModes,
	storageKeyOf
} from '../../src/lib/components/reader/reading-modes.svelte.ts';
import {
	markedRuns,
	pageMatches,
	paragraphSpans,
	reflowPageText,
	textViewBlocks,
	type TextBlock,
	type TextRun
} from '../../src/lib/components/reader/text-view.ts';
import type { PageFigure } from '../../src/lib/types.ts';

/** A Storage stand-in that keeps what is written. */
function memoryStorage(initial: Record<string, string> = {}) {
	const items = new Map(Object.entries(initial));
	return {
		items,
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value)
	};
}

const sentence = (n: number) =>
	`Sentence ${n} tells how the model was trained and how clinicians rated its explanations.`;

describe('reflowPageText', () => {
	it('starts a paragraph at each caption and section heading', () => {
		const text =
			'the end of the abstract. 1 Introduction Saliency maps are popular. Fig. 2: Maps of three ' +
			'patients. More text follows here. Table 1. Results of the study. References [1] A. Author.';
		const paragraphs = reflowPageText(text);
		expect(paragraphs[0]).toBe('the end of the abstract.');
		expect(paragraphs.some((p) => p.startsWith('1 Introduction Saliency maps'))).toBe(true);
		expect(paragraphs.some((p) => p.startsWith('Fig. 2: Maps of three patients.'))).toBe(true);
		expect(paragraphs.some((p) => p.startsWith('Table 1. Results'))).toBe(true);
		expect(paragraphs.some((p) => p.startsWith('[1] A. Author.'))).toBe(true);
		// Nothing is lost or reordered: the paragraphs put back together are the page's text.
		expect(paragraphs.join(' ')).toBe(text);
	});

	it('cuts a long run of prose at sentence ends into paragraphs a phone can hold', () => {
		const text = Array.from({ length: 30 }, (_, n) => sentence(n + 1)).join(' ');
		const paragraphs = reflowPageText(text);
		expect(paragraphs.length).toBeGreaterThan(2);
		for (const paragraph of paragraphs) {
			expect(paragraph).toMatch(/^Sentence \d+ /);
			expect(paragraph).toMatch(/\.$/);
		}
		expect(paragraphs.join(' ')).toBe(text);
	});

	it('does not cut after an abbreviation such as "Fig." or "et al."', () => {
		const long = Array.from({ length: 8 }, (_, n) => sentence(n)).join(' ');
		const paragraphs = reflowPageText(`${long} As Jin et al. Showed in Fig. 3 the maps differ.`);
		expect(paragraphs.at(-1)).not.toMatch(/^(Showed|3 )/);
	});

	it('gives no paragraph for a page without text', () => {
		expect(reflowPageText('  ')).toEqual([]);
	});
});

describe('markedRuns', () => {
	const paragraph = 'Saliency maps and a saliency-based score; the maps are saliency maps.';
	const marked = (runs: TextRun[]) => runs.filter((run) => run.mark).map((run) => run.text);

	it('marks a quoted phrase where the search finds it: the exact words, in any case', () => {
		const runs = markedRuns(paragraph, findUnitsOfQuery('"saliency maps"'), INDEX_LIKE);
		expect(runs.map((run) => run.text).join('')).toBe(paragraph);
		expect(marked(runs)).toEqual(['Saliency maps', 'saliency maps']);
		// The search's phrases are exact ("The exact phrase" on /help): "saliency map" is not in
		// this text, so the text view marks nothing rather than what the search would not match.
		expect(marked(markedRuns(paragraph, findUnitsOfQuery('"saliency map"'), INDEX_LIKE))).toEqual(
			[]
		);
	});

	it('marks what the engine matched for the query, as the text layer does', () => {
		// The engine's answer for `saliency` in this paper: its synonym's terms as well.
		const fromEngine = highlightOfSpec({ terms: ['heatmap', 'saliency'], phrases: [] });
		const text = 'Heatmaps and saliency scores.';
		const units = findUnitsOfQuery('saliency');
		expect(marked(markedRuns(text, units, INDEX_LIKE))).toEqual(['saliency']);
		expect(marked(markedRuns(text, units, INDEX_LIKE, fromEngine))).toEqual([
			'Heatmaps',
			'saliency'
		]);
		const layer = findInPage(
			preparePage([{ str: text, hasEOL: false }]),
			units,
			INDEX_LIKE,
			fromEngine
		);
		expect(layer.map((match) => text.slice(match.start, match.end))).toEqual(
			marked(markedRuns(text, units, INDEX_LIKE, fromEngine))
		);
	});

	it('leaves a paragraph unmarked without a query', () => {
		expect(markedRuns('Some text.', [], INDEX_LIKE)).toEqual([{ text: 'Some text.', mark: false }]);
	});
});

describe('textViewBlocks', () => {
	const marksOf = (blocks: TextBlock[]) =>
		blocks.flatMap((block) =>
			block.kind === 'paragraph' ? block.runs.filter((run) => run.mark) : []
		);
	const paragraphsOf = (blocks: TextBlock[]) =>
		blocks.flatMap((block) =>
			block.kind === 'paragraph' ? [block.runs.map((run) => run.text).join('')] : []
		);

	it('marks a quoted phrase that runs across a paragraph break, in both paragraphs', () => {
		// A heading starts a paragraph of its own, so the phrase is cut in two by the reflow.
		const text = 'We compared saliency maps. 2 Methods Saliency maps were drawn for every case.';
		const units = findUnitsOfQuery('"saliency maps. 2 methods saliency"');
		const blocks = textViewBlocks(text, [], pageMatches(text, units, INDEX_LIKE));
		expect(paragraphsOf(blocks)).toEqual([
			'We compared saliency maps.',
			'2 Methods Saliency maps were drawn for every case.'
		]);
		const marks = marksOf(blocks);
		expect(marks.map((run) => run.text)).toEqual(['saliency maps.', '2 Methods Saliency']);
		// Both halves are the page's one match, so the find bar selects them together.
		expect(marks.map((run) => run.match)).toEqual([0, 0]);
		// Paragraph by paragraph, as before, neither half was marked.
		for (const paragraph of reflowPageText(text)) {
			expect(markedRuns(paragraph, units, INDEX_LIKE).some((run) => run.mark)).toBe(false);
		}
	});

	it('marks exactly what the text layer marks on the same page', () => {
		const text = Array.from({ length: 12 }, (_, n) => sentence(n)).join(' ');
		const units = findUnitsOfQuery('explanations clinicians');
		const layer = findInPage(preparePage([{ str: text, hasEOL: false }]), units, INDEX_LIKE);
		const blocks = textViewBlocks(text, [], pageMatches(text, units, INDEX_LIKE));
		expect(blocks.length).toBeGreaterThan(1);
		expect(marksOf(blocks).map((run) => run.text)).toEqual(
			layer.map((match) => text.slice(match.start, match.end))
		);
	});

	it('shows each figure between the paragraphs it is read between', () => {
		const text =
			'The model was trained on four modalities and rated by six surgeons. ' +
			'Figure 1: Heatmaps of one patient. The ratings were low for most methods.';
		const figure = (at: number): PageFigure => ({
			x: 0.1,
			y: 0.2,
			width: 0.8,
			height: 0.3,
			pageAspect: 1.294,
			at,
			labels: []
		});
		const beforeCaption = text.indexOf('Figure 1:');
		// A figure read in the middle of a paragraph cuts it there.
		const midParagraph = text.indexOf('rated by');
		const blocks = textViewBlocks(text, [figure(beforeCaption), figure(midParagraph)], []);
		expect(
			blocks.map((block) =>
				block.kind === 'figure'
					? `[figure ${block.number}]`
					: block.runs.map((run) => run.text).join('')
			)
		).toEqual([
			'The model was trained on four modalities and',
			'[figure 2]',
			'rated by six surgeons.',
			'[figure 1]',
			'Figure 1: Heatmaps of one patient. The ratings were low for most methods.'
		]);
		const closing = textViewBlocks(text, [figure(text.length)], []);
		expect(closing.at(-1)).toMatchObject({ kind: 'figure', number: 1 });
		expect(paragraphSpans(text, [beforeCaption]).map((span) => span.start)).toEqual([
			0,
			beforeCaption
		]);
	});
});

describe('textViewBlocks and the labels inside a figure', () => {
	const text =
		'Results are below. 0.2 0.4 0.6 accuracy epochs Figure 2: Accuracy over epochs. It rises.';
	const labelsStart = text.indexOf('0.2');
	const labels = { start: labelsStart, end: text.indexOf('Figure 2:') };
	const chart: PageFigure = {
		x: 0.1,
		y: 0.2,
		width: 0.8,
		height: 0.3,
		pageAspect: 1.294,
		at: labelsStart,
		labels: [labels]
	};
	const shown = (blocks: ReturnType<typeof textViewBlocks>) =>
		blocks.map((block) =>
			block.kind === 'figure' ? '[figure]' : block.runs.map((run) => run.text).join('')
		);

	it('shows the figure where its labels were, and its labels only in its image', () => {
		expect(shown(textViewBlocks(text, [chart], []))).toEqual([
			'Results are below.',
			'[figure]',
			'Figure 2: Accuracy over epochs. It rises.'
		]);
	});

	it('still marks the matches outside the labels, with their numbers on the page', () => {
		const matches = [
			{ start: text.indexOf('accuracy'), end: text.indexOf('accuracy') + 8 },
			{ start: text.indexOf('Accuracy'), end: text.indexOf('Accuracy') + 8 }
		];
		const marks = textViewBlocks(text, [chart], matches).flatMap((block) =>
			block.kind === 'paragraph' ? block.runs.filter((run) => run.mark) : []
		);
		expect(marks).toEqual([{ text: 'Accuracy', mark: true, match: 1 }]);
	});

	it('lists the matches printed inside a figure on the figure, so the find bar can select it', () => {
		const at = (word: string) => ({
			start: text.indexOf(word),
			end: text.indexOf(word) + word.length
		});
		const matches = [at('Results'), at('0.4'), at('epochs Figure'), at('rises')];
		const figures = textViewBlocks(text, [chart], matches).filter(
			(block) => block.kind === 'figure'
		);
		// "epochs Figure" starts in the labels and ends in the caption: the figure holds it too.
		expect(figures.map((block) => block.matches)).toEqual([[1, 2]]);
		expect(textViewBlocks(text, [{ ...chart, labels: [] }], matches)[1]).toMatchObject({
			kind: 'figure',
			matches: []
		});
	});
});

describe('ReadingModes', () => {
	it('opens every page as text on a narrow screen, as the page on a wide one', () => {
		const modes = new ReadingModes('/papers/a/pdf', memoryStorage());
		modes.followScreen(390);
		expect(modes.modeOf(1)).toBe('text');
		modes.followScreen(1280);
		expect(modes.modeOf(1)).toBe('page');
	});

	it('remembers the mode chosen for a page, for this document only', () => {
		const storage = memoryStorage();
		const first = new ReadingModes('/papers/a/pdf', storage);
		first.followScreen(390);
		first.set(3, 'page');
		expect(first.modeOf(3)).toBe('page');
		expect(first.modeOf(4)).toBe('text');

		const again = new ReadingModes('/papers/a/pdf', storage);
		again.followScreen(390);
		expect(again.modeOf(3)).toBe('page');
		const other = new ReadingModes('/papers/b/pdf', storage);
		other.followScreen(390);
		expect(other.modeOf(3)).toBe('text');
	});

	it('ignores stored values it did not write, and works without storage', () => {
		expect(parseStoredModes('{"2":"text","x":"page","3":"zoom","0":"page"}')).toEqual({
			2: 'text'
		});
		expect(parseStoredModes('not json')).toEqual({});
		expect(parseStoredModes('[1]')).toEqual({});
		const storage = memoryStorage({ [storageKeyOf('/p')]: '"text"' });
		expect(new ReadingModes('/p', storage).modeOf(1)).toBe('page');
		const unstored = new ReadingModes('/p', null);
		unstored.set(1, 'text');
		expect(unstored.modeOf(1)).toBe('text');
	});
});
