/**
 * Quoted phrases are checked on word positions stored in the index before (or instead of) the
 * page text. These tests hold that shortcut to the phrase rule itself: whole words in order,
 * separated by anything but letters and digits, case and accents folded.
 */
import { describe, expect, it } from 'vitest';
import { searchParams } from '../../src/lib/search/params.ts';
import { phraseOccursIn } from '../../src/lib/text/phrase.ts';
import { compoundParts, fold, tokenize } from '../../src/lib/text/normalise.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';
import { filler, makeEngine, type PaperSpec } from './search-fixtures.ts';

/** Words that stress the shortcut: plurals, compounds, stop words, single letters, accents. */
const WORDS = [
	'map',
	'maps',
	'Map',
	'grad-cam',
	'gradcam',
	'grad',
	'cam',
	'Grad-CAM',
	'GradCAM',
	'of',
	'the',
	'a',
	'x',
	'x-ray',
	'ray',
	'rays',
	'study',
	'studies',
	'Müller',
	'muller',
	'class-activation-maps',
	'activation',
	'e.g.',
	'U-Net',
	'unet',
	'T1-weighted'
];
const SEPARATORS = [' ', ' ', ' ', ', ', ' (', ') ', ' – ', '. ', '-', ' / '];

/** A seeded corpus of random text from `words` and `separators`, and its engine. */
function randomCorpus(seed: number, words: string[], separators: string[]) {
	const random = seededRandom(seed);
	const text = (count: number) =>
		Array.from(
			{ length: count },
			() =>
				words[Math.floor(random() * words.length)] +
				separators[Math.floor(random() * separators.length)]
		).join('');
	const specs: PaperSpec[] = Array.from({ length: 40 }, (_, i) => ({
		id: `p${i}`,
		title: `Paper ${i}`,
		pages: Array.from({ length: 3 }, () => text(40))
	}));
	const phrases = Array.from({ length: 300 }, () =>
		Array.from(
			{ length: 2 + Math.floor(random() * 3) },
			() => words[Math.floor(random() * words.length)]
		).join(' ')
	);
	return { specs, phrases, engine: makeEngine(specs) };
}

/**
 * The spellings a typed phrase stands for: as typed, its hyphenated words joined (`grad-cam` →
 * `gradcam`), and its joined words split where both halves are words of the corpus (`gradcam` →
 * `grad cam`).
 */
function spellings(tokens: string[], known: Set<string>): string[][] {
	const split = (token: string) => {
		for (let at = 2; at <= token.length - 2; at++) {
			if (known.has(token.slice(0, at)) && known.has(token.slice(at)))
				return `${token.slice(0, at)}-${token.slice(at)}`;
		}
		return token;
	};
	return [
		tokens,
		tokens.map((token) => compoundParts(token).join('')),
		tokens.map((token) => (compoundParts(token).length > 1 ? token : split(token)))
	];
}

/** The pages of every paper whose text holds the phrase, by the phrase rule on folded text. */
function expected(specs: PaperSpec[], phrase: string, words: string[]): Map<string, number[]> {
	const tokens = tokenize(phrase).map((token) => token.text);
	const known = new Set(words.flatMap((word) => compoundParts(fold(word))));
	const forms = spellings(tokens, known);
	const found = new Map<string, number[]>();
	for (const spec of specs) {
		const pages = spec.pages!.flatMap((page, index) =>
			forms.some((form) => phraseOccursIn(fold(page), { tokens: form, inflected: false }))
				? [index + 1]
				: []
		);
		if (pages.length) found.set(spec.id, pages);
	}
	return found;
}

describe('phrases checked on word positions', () => {
	const ascii = (word: string) => /^[ -~]*$/.test(word);
	const cases = [
		// Mostly pages with accents or dashes, whose text is searched once positions line up.
		{ name: 'pages of any text', words: WORDS, separators: SEPARATORS },
		// ASCII pages only, where the phrase is read at the word the positions point to.
		{ name: 'ASCII pages', words: WORDS.filter(ascii), separators: SEPARATORS.filter(ascii) }
	];
	for (const { name, words, separators } of cases) {
		it(`finds exactly the papers and pages whose text holds the phrase (${name}, 300 phrases)`, () => {
			const { specs, phrases, engine } = randomCorpus(11, words, separators);
			let occurring = 0;
			for (const phrase of phrases) {
				const want = expected(specs, phrase, words);
				if (want.size) occurring++;
				const response = engine.search(searchParams({ q: `body:"${phrase}"`, limit: 100 }));
				expect(new Map(response.hits.map((hit) => [hit.id, hit.pages])), phrase).toEqual(want);
			}
			// The phrases must test something: many occur, on some pages and not others.
			expect(occurring).toBeGreaterThan(60);
		});
	}

	it('finds a phrase with a compound written apart, joined or hyphenated alike', () => {
		const engine = makeEngine([
			{ id: 'apart', title: 'One', pages: [`${filler(30, 1)} the grad cam map shows`] },
			{ id: 'joined', title: 'Two', pages: [`${filler(30, 2)} the grad-cam cam shows`] }
		]);
		const ids = (q: string) => engine.search(searchParams({ q })).hits.map((hit) => hit.id);
		expect(ids('"grad-cam map"')).toEqual(['apart']);
		expect(ids('"gradcam cam"')).toEqual(['joined']);
		expect(ids('"grad cam cam shows"')).toEqual(['joined']);
		expect(ids('"gradcam map"')).toEqual(['apart']);
		expect(ids('"grad cam cam"')).toEqual(['joined']);
	});

	it('finds a phrase of rare words next to a word on every page, and only there', () => {
		// `study` is on all 300 pages, `zebra` and `quokka` on a few far apart: a phrase's walk
		// skips hundreds of `study` postings between them, then reads its word positions there.
		const rare = new Map([
			[20, 'the study zebra x'],
			[110, 'a zebra study'],
			[111, 'zebra and study'],
			[230, 'study quokka zebra study'],
			[298, 'quokka study zebra']
		]);
		const specs: PaperSpec[] = Array.from({ length: 100 }, (_, i) => ({
			id: `p${i}`,
			title: `Paper ${i}`,
			pages: Array.from({ length: 3 }, (_, page) => {
				const at = i * 3 + page;
				return `${rare.get(at) ?? 'study'} ${filler(20, at)} study ${filler(10, at + 1)} study end`;
			})
		}));
		const engine = makeEngine(specs);
		const words = ['study', 'zebra', 'quokka', 'the', 'x', 'a', 'and'];
		let occurring = 0;
		for (const phrase of ['study zebra', 'zebra study', 'quokka zebra', 'study quokka zebra']) {
			const want = expected(specs, phrase, words);
			if (want.size) occurring++;
			const response = engine.search(searchParams({ q: `"${phrase}"`, limit: 100 }));
			expect(new Map(response.hits.map((hit) => [hit.id, hit.pages])), phrase).toEqual(want);
		}
		expect(occurring).toBe(4);
	});

	it('tells a plural from its singular although both have one index term', () => {
		const engine = makeEngine([
			{ id: 'plural', title: 'One', pages: [`${filler(30, 1)} saliency maps of the lung`] },
			{ id: 'singular', title: 'Two', pages: [`${filler(30, 2)} saliency map of the lung`] }
		]);
		const ids = (q: string) => engine.search(searchParams({ q })).hits.map((hit) => hit.id);
		expect(ids('"saliency map"')).toEqual(['singular']);
		expect(ids('"saliency maps of the lung"')).toEqual(['plural']);
	});

	it('finds a phrase beyond the 65,535th word of a page', () => {
		const long = `${filler(70_000, 3)} hidden phrase here`;
		const engine = makeEngine([
			{ id: 'long', title: 'One', pages: [long] },
			{ id: 'short', title: 'Two', pages: [`${filler(30, 4)} hidden here phrase`] }
		]);
		const response = engine.search(searchParams({ q: '"hidden phrase here"' }));
		expect(response.hits.map((hit) => hit.id)).toEqual(['long']);
	});
});
