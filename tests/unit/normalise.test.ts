import { describe, expect, it } from 'vitest';
import {
	compoundParts,
	eachIndexTerm,
	endsWithBrokenWord,
	fold,
	hyphenVocabulary,
	joinLines,
	normaliseText,
	stem,
	STOP_WORDS,
	WORD
} from '../../src/lib/text/normalise.ts';

describe('normaliseText', () => {
	it('expands ligatures so that "ﬁnd" is found by typing "find"', () => {
		expect(normaliseText('We \ufb01nd \ufb02ows, e\ufb00ects and o\ufb03ces')).toBe(
			'We find flows, effects and offices'
		);
	});

	it('folds whitespace runs and trims', () => {
		expect(normaliseText('  saliency \n\t maps\u00a0 explained  ')).toBe('saliency maps explained');
	});

	it('makes dashes and quotes plain and drops invisible characters', () => {
		expect(
			normaliseText('Grad\u2010CAM \u2013 \u201cheatmaps\u201d, model\u2019s, ex\u00adplain')
		).toBe('Grad-CAM - "heatmaps", model\'s, explain');
	});
});

describe('fold', () => {
	it('folds case, accents, ligatures, dashes and quotes so that typed text finds printed text', () => {
		expect(
			fold('Gr\u00f6\u00dfe \ufb01ts \u201cM\u00fcller\u2019s\u201d Grad\u2010CAM \u2013 \u00c6on')
		).toBe('grosse fits "muller\'s" grad-cam - aeon');
	});

	it('folds whitespace runs to one space, with or without the position map', () => {
		const text = 'saliency \n\t maps\u00a0\u00a0of  na\u00efve models';
		expect(fold(text)).toBe('saliency maps of naive models');
		expect(fold(text, { withMap: true }).text).toBe('saliency maps of naive models');
	});

	it('drops invisible characters inside a word instead of splitting it', () => {
		expect(fold('ex\u00adpla\u200bna\ufefftion')).toBe('explanation');
		expect(fold('ex\u00adpla\u200bna\ufefftion', { withMap: true }).text).toBe('explanation');
	});

	it("maps a ligature's letters to the ligature and the end to the original length", () => {
		const { text, sourceIndex } = fold('A \ufb01t', { withMap: true });
		expect(text).toBe('a fit');
		expect([0, 1, 2, 3, 4, 5].map(sourceIndex)).toEqual([0, 1, 2, 2, 3, 4]);
	});

	it('keeps the map aligned with the text around characters outside the BMP', () => {
		const { text, sourceIndex } = fold('\u{20000}\u00e9 \u{1d400}x', { withMap: true });
		expect(text).toBe('\u{20000}e ax');
		expect([...text].length).toBe(5);
		expect(Array.from({ length: text.length + 1 }, (_, at) => sourceIndex(at))).toEqual([
			0, 0, 2, 3, 4, 6, 7
		]);
	});

	it('folds a final sigma like any other sigma', () => {
		expect(fold('\u039b\u039f\u0393\u039f\u03a3 \u03bb\u03bf\u03b3\u03bf\u03c2')).toBe(
			fold('\u03bb\u03bf\u03b3\u03bf\u03c3 \u03bb\u03bf\u03b3\u03bf\u03c3')
		);
	});
});

describe('joinLines', () => {
	it('rejoins a word hyphenated at a line end', () => {
		expect(joinLines(['Saliency maps give expla-', 'nations of the model.'])).toBe(
			'Saliency maps give explanations of the model.'
		);
	});

	it('rejoins a broken word after a long page and a word longer than the part it searches', () => {
		const page = Array.from({ length: 40 }, (_, i) => `line ${i} of a long page about saliency`);
		const joined = joinLines([...page, 'the expla-', 'nations hold']);
		expect(joined.endsWith('about saliency the explanations hold')).toBe(true);
		const longWord = 'a'.repeat(150);
		expect(joinLines([...page, `${longWord}b-`, 'cd end'])).toContain(` ${longWord}bcd end`);
	});

	it('joins other lines with one space and skips blank ones', () => {
		expect(joinLines(['  first line ', '', 'second line'])).toBe('first line second line');
	});

	it('drops a soft hyphen at a line end whatever follows', () => {
		expect(joinLines(['the Trans\u00ad', 'former'])).toBe('the Transformer');
	});

	it('keeps the hyphen of a compound whose first half already has one', () => {
		expect(joinLines(['end-user-', 'friendly explanations'])).toBe(
			'end-user-friendly explanations'
		);
	});

	it('keeps the hyphen when the text writes the compound with one elsewhere', () => {
		expect(joinLines(['multi-modal images and multi-', 'modal explanations'])).toBe(
			'multi-modal images and multi-modal explanations'
		);
	});

	it('removes the hyphen when the text writes the word without one elsewhere', () => {
		expect(joinLines(['multimodal images and multi-', 'modal explanations'])).toBe(
			'multimodal images and multimodal explanations'
		);
	});

	it('keeps the hyphen between two words when the second often closes compounds', () => {
		expect(joinLines(['each user asked for a user-', 'friendly tool'])).toBe(
			'each user asked for a user-friendly tool'
		);
	});

	it('keeps the hyphen before a capital or a digit (Grad-CAM, COVID-19)', () => {
		expect(joinLines(['we applied Grad-', 'CAM to COVID-', '19 scans'])).toBe(
			'we applied Grad-CAM to COVID-19 scans'
		);
	});

	it('keeps a suspended compound apart ("pre- and post-processing")', () => {
		expect(joinLines(['both pre-', 'and post-processing'])).toBe('both pre- and post-processing');
	});

	it('leaves a spaced dash at a line end alone', () => {
		expect(joinLines(['the method -', 'then the rest'])).toBe('the method - then the rest');
	});

	it('decides with a vocabulary from other pages when one is given', () => {
		const document = hyphenVocabulary(['page one says modality-specific twice: modality-specific']);
		expect(joinLines(['the modality-', 'specific metric'], document)).toBe(
			'the modality-specific metric'
		);
		expect(joinLines(['the modality-', 'specific metric'])).toBe('the modalityspecific metric');
	});
});

describe('endsWithBrokenWord', () => {
	it('is true for a letter followed by a hyphen and false for a spaced dash', () => {
		expect(endsWithBrokenWord('expla-')).toBe(true);
		expect(endsWithBrokenWord('method -')).toBe(false);
		expect(endsWithBrokenWord('page 12-')).toBe(false);
	});
});

describe('eachIndexTerm', () => {
	/** Every token through the compound split: what the plain-word fast path must agree with. */
	function throughSplit(text: string): string[] {
		const found: string[] = [];
		let position = 0;
		for (const [token] of fold(text).matchAll(WORD)) {
			const parts = compoundParts(token);
			if (parts.length === 1) {
				if (!STOP_WORDS.has(parts[0])) {
					const term = stem(parts[0]);
					found.push(`${term}@${position}${term === parts[0] ? '' : '*'}`);
				}
			} else {
				found.push(`${stem(parts.join(''))}@${position}*`);
				parts.forEach((part, k) => {
					if (STOP_WORDS.has(part) || part.length < 2) return;
					const term = stem(part);
					found.push(`${term}@${position + k}${term === part ? '' : '*'}`);
				});
			}
			position += parts.length;
		}
		return found;
	}

	it('gives plain words the terms and positions the compound split gives them, on random text', () => {
		const pieces = [
			'studies',
			'boxes',
			'class',
			'analysis',
			'maps',
			'GPUs',
			'1990s',
			'x1s',
			'the',
			'and',
			'Grad-CAM',
			"rock'n'roll",
			'U.S.A.',
			'e.g.',
			't-SNE',
			'x-rays',
			'ﬁndings',
			'Müller',
			'ex-ante',
			'a-b',
			'us',
			'is',
			'gas',
			'ss',
			'—',
			',',
			'3D-U-Nets',
			'co-operation'
		];
		let seed = 7;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let round = 0; round < 300; round++) {
			const text = Array.from(
				{ length: 1 + Math.floor(random() * 12) },
				() => pieces[Math.floor(random() * pieces.length)]
			).join(random() < 0.5 ? ' ' : '  ');
			const found: string[] = [];
			eachIndexTerm(text, (term, position, asWritten) =>
				found.push(`${term}@${position}${asWritten ? '' : '*'}`)
			);
			expect(found, text).toEqual(throughSplit(text));
		}
	});
});
