import { describe, expect, it } from 'vitest';
import {
	endsWithBrokenWord,
	hyphenVocabulary,
	joinLines,
	normaliseText
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

describe('joinLines', () => {
	it('rejoins a word hyphenated at a line end', () => {
		expect(joinLines(['Saliency maps give expla-', 'nations of the model.'])).toBe(
			'Saliency maps give explanations of the model.'
		);
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
