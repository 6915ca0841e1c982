/**
 * Property tests of the one fold: on seeded random text full of what PDFs and typists produce
 * (ligatures, hyphens and soft hyphens, composed and decomposed accents, dashes, curly quotes,
 * digits, runs of spaces), the index, the snippets and the reader's find must agree.
 */
import { describe, expect, it } from 'vitest';
import {
	findInPage,
	INDEX_LIKE,
	preparePage,
	type TextItemLike
} from '../../src/lib/components/reader/match.ts';
import { matchRanges } from '../../src/lib/text/match-ranges.ts';
import { phraseWords } from '../../src/lib/search/phrase-filter.ts';
import {
	fold,
	foldsToLowerCase,
	indexTerms,
	termsOfToken,
	tokenize,
	WORD,
	WORD_PART
} from '../../src/lib/text/normalise.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Pieces that go inside or between words, each a thing real page text contains. */
const INSIDE_WORDS = [
	'\ufb01', // ﬁ
	'\ufb02', // ﬂ
	'\ufb00', // ﬀ
	'\ufb03', // ﬃ
	'\u00ad', // soft hyphen
	'\u200b', // zero-width space
	'\ufeff', // zero-width no-break space
	'-',
	'\u2010', // hyphen
	'\u2011', // non-breaking hyphen
	'\u00e9', // é composed
	'e\u0301', // é decomposed
	'\u00fc', // ü
	'u\u0308', // ü decomposed
	'\u00d6', // Ö
	'O\u0308', // Ö decomposed
	'\u00f1', // ñ
	'\u00df', // ß
	'\u00f8', // ø
	"'",
	'\u2019', // ’
	'.',
	'0',
	'7',
	'19'
];
const BETWEEN_WORDS = [
	' ',
	' ',
	' ',
	'  ',
	'   ',
	'\t',
	'\n',
	'\u00a0',
	' \u2013 ', // –
	' \u2014 ', // —
	'\u2014',
	' \u201c', // “
	'\u201d ', // ”
	' \u2018', // ‘
	', ',
	'. '
];

function pick<T>(random: () => number, list: readonly T[]): T {
	return list[Math.floor(random() * list.length)];
}

/** A random text of about `words` words. */
function randomText(random: () => number, words: number): string {
	let text = random() < 0.3 ? pick(random, BETWEEN_WORDS) : '';
	for (let w = 0; w < words; w++) {
		const length = 1 + Math.floor(random() * 9);
		for (let c = 0; c < length; c++) {
			text += random() < 0.2 ? pick(random, INSIDE_WORDS) : pick(random, [...LETTERS]);
		}
		text += pick(random, BETWEEN_WORDS);
	}
	return text;
}

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

/** Runs `check` on one random text per seed, naming the seed and text on failure. */
function forEachText(check: (text: string, random: () => number) => void): void {
	for (const seed of SEEDS) {
		const random = seededRandom(seed);
		const text = randomText(random, 2 + Math.floor(random() * 40));
		try {
			check(text, random);
		} catch (error) {
			throw new Error(`seed ${seed}, text ${JSON.stringify(text)}: ${String(error)}`);
		}
	}
}

describe('fold on random text', () => {
	it('gives the same folded text with the position map as without', () => {
		forEachText((text) => {
			expect(fold(text, { withMap: true }).text).toBe(fold(text));
		});
	});

	it('points every folded character at the source character it came from, in order', () => {
		forEachText((text) => {
			const { text: folded, sourceIndex } = fold(text, { withMap: true });
			const wrong: string[] = [];
			const pointedAt = new Set<number>();
			for (let at = 0; at < folded.length; at++) {
				const from = sourceIndex(at);
				if (at > 0 && from < sourceIndex(at - 1)) wrong.push(`${at}: goes back`);
				// The source character, folded alone, yields this folded character.
				const source = String.fromCodePoint(text.codePointAt(from)!);
				if (!fold(source).includes(folded[at])) wrong.push(`${at}: from ${JSON.stringify(source)}`);
				pointedAt.add(from);
			}
			// No source character that folds to something visible is lost.
			for (let i = 0; i < text.length; i++) {
				if (fold(text[i]).trim() !== '' && !pointedAt.has(i)) wrong.push(`source ${i} lost`);
			}
			expect(wrong).toEqual([]);
			expect(sourceIndex(folded.length)).toBe(text.length);
		});
	});

	it('maps every letter of a text that grows when folded (many ligatures) to its source', () => {
		const text = `Of${'\ufb03'.repeat(40)}ce  \u00df\u00e9 ${'\ufb01'.repeat(30)}`;
		const { text: folded, sourceIndex } = fold(text, { withMap: true });
		expect(folded).toBe(fold(text));
		expect(folded).toBe(`of${'ffi'.repeat(40)}ce sse ${'fi'.repeat(30)}`);
		const ligatures = Array.from({ length: 120 }, (_, k) => sourceIndex(2 + k));
		expect(ligatures).toEqual(Array.from({ length: 120 }, (_, k) => 2 + Math.floor(k / 3)));
		expect(sourceIndex(folded.length - 1)).toBe(text.length - 1);
		expect(sourceIndex(folded.length)).toBe(text.length);
	});

	it('folds composed and decomposed accents alike', () => {
		forEachText((text) => {
			expect(fold(text.normalize('NFD'))).toBe(fold(text.normalize('NFC')));
		});
	});

	it('leaves no whitespace but single spaces', () => {
		forEachText((text) => {
			expect(fold(text)).not.toMatch(/\s{2}|[^\S ]/);
		});
	});
});

/** A random ASCII text: letters, digits and punctuation, mostly single spaces, now and then not. */
function randomAsciiText(random: () => number, words: number): string {
	const between = [' ', ' ', ' ', ' ', ' ', ', ', '. ', ' (', ') ', '  ', '\t', '\n', '\r', '\x0b'];
	let text = '';
	for (let w = 0; w < words; w++) {
		const length = 1 + Math.floor(random() * 9);
		for (let c = 0; c < length; c++) text += pick(random, [...LETTERS, '0', '7', '-', "'", '.']);
		// Most texts keep to single spaces, as ingested pages do.
		text += random() < 0.97 ? ' ' : pick(random, between);
	}
	return text;
}

describe('foldsToLowerCase (pages the fold only lower-cases)', () => {
	const utf8 = (text: string) => new TextEncoder().encode(text);
	const texts = SEEDS.flatMap((seed) => {
		const random = seededRandom(seed);
		return [randomText(random, 2 + Math.floor(random() * 40)), randomAsciiText(random, 30)];
	});

	it('says yes only where the fold with its map is the lower case, position for position', () => {
		let yes = 0;
		for (const text of texts) {
			if (!foldsToLowerCase(utf8(text), 0, utf8(text).length)) continue;
			yes++;
			const folded = fold(text, { withMap: true });
			expect(folded.text).toBe(text.toLowerCase());
			for (let at = 0; at <= folded.text.length; at++) expect(folded.sourceIndex(at)).toBe(at);
			const told = fold(text, { withMap: true, lowerCaseOnly: true });
			expect(told.text).toBe(folded.text);
			expect(told.sourceIndex(folded.text.length)).toBe(text.length);
		}
		expect(yes).toBeGreaterThan(SEEDS.length / 10);
	});

	it('says no for every text the fold changes beyond its case (whitespace, accents, dashes)', () => {
		let changed = 0;
		for (const text of texts) {
			if (fold(text) === text.toLowerCase()) continue;
			changed++;
			expect(foldsToLowerCase(utf8(text), 0, utf8(text).length), JSON.stringify(text)).toBe(false);
		}
		expect(changed).toBeGreaterThan(SEEDS.length / 2);
	});

	it('reads only the given stretch of the bytes', () => {
		const bytes = utf8('Two  spaces, then Plain text');
		expect(foldsToLowerCase(bytes, 0, bytes.length)).toBe(false);
		expect(foldsToLowerCase(bytes, 'Two  spaces, then '.length, bytes.length)).toBe(true);
	});
});

describe('callers of the fold on random text', () => {
	it('tokenize finds the words of the folded text, at source spans that fold back to them', () => {
		forEachText((text) => {
			const tokens = tokenize(text);
			expect(tokens.map((token) => token.text)).toEqual(fold(text).match(WORD) ?? []);
			for (const token of tokens) expect(fold(text.slice(token.start, token.end))).toBe(token.text);
		});
	});

	it('the index makes the same terms as the tokens snippets and the reader mark', () => {
		forEachText((text) => {
			expect(indexTerms(text)).toEqual(tokenize(text).flatMap((token) => termsOfToken(token.text)));
		});
	});

	it('the phrase filter sees the parts of the tokens', () => {
		forEachText((text) => {
			const parts = tokenize(text).flatMap((token) => token.text.match(WORD_PART) ?? []);
			expect(phraseWords(text)).toEqual(parts);
		});
	});

	it("snippets' marks and the reader's matches cover the same source spans for a term", () => {
		let compared = 0;
		forEachText((text, random) => {
			const words = tokenize(text).filter((token) => termsOfToken(token.text).length === 1);
			if (!words.length) return;
			const word = pick(random, words).text;
			const term = termsOfToken(word)[0];
			const marked = matchRanges(text, { terms: new Map([[term, 1]]), phrases: [] });

			// The reader sees the page as text-layer items cut at random places on one line.
			const cuts = [0, ...[1, 2, 3].map(() => Math.floor(random() * text.length)), text.length];
			cuts.sort((a, b) => a - b);
			const items: TextItemLike[] = [];
			const itemStart: number[] = [];
			for (let k = 0; k + 1 < cuts.length; k++) {
				itemStart.push(cuts[k]);
				items.push({ str: text.slice(cuts[k], cuts[k + 1]) });
			}
			const page = preparePage(items);
			expect(page.pageText.text).toBe(text);
			const found = findInPage(page, [{ surface: word, words: [word] }], INDEX_LIKE).map(
				(match) => {
					const offsets = match.ranges.flatMap((range) => [
						itemStart[range.item] + range.start,
						itemStart[range.item] + range.end
					]);
					return [Math.min(...offsets), Math.max(...offsets)];
				}
			);
			expect(found).toEqual(marked);
			expect(found.length).toBeGreaterThan(0);
			compared++;
		});
		expect(compared).toBeGreaterThan(SEEDS.length / 2);
	});
});
