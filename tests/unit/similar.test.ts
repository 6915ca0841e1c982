import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/lib/types.ts';
import { makePaper } from '../fixtures/paper.ts';
import {
	computeSimilarity,
	countTerms,
	pcaMap,
	type Vector
} from '../../src/lib/corpus/similar.ts';

function paper(id: string, title: string): Paper {
	return makePaper({ id, title, edition: '2025' });
}

// Three families of papers that share vocabulary inside the family only, plus a common thread.
const families: Record<string, string[]> = {
	saliency: [
		'Grad-CAM saliency heatmaps highlight the chest X-ray regions; saliency maps of pneumonia.',
		'We compare saliency heatmaps from Grad-CAM and integrated gradients on chest radiographs.',
		'Grad-CAM heatmaps and saliency faithfulness for chest X-ray classifiers, pneumonia cases.'
	],
	uncertainty: [
		'Monte Carlo dropout uncertainty and calibration of segmentation networks for brain tumours.',
		'Epistemic uncertainty, dropout ensembles and calibration error on brain MRI segmentation.',
		'Calibration of predictive uncertainty with deep ensembles for brain tumour segmentation.'
	],
	prototypes: [
		'Prototype layers learn interpretable prototypes of echocardiography frames and ejection fraction.',
		'Case-based reasoning with learned prototypes for echocardiography; prototype similarity scores.',
		'Interpretable prototypes explain ejection fraction estimation from echocardiography videos.'
	]
};

const papers: Paper[] = [];
const pageTexts = new Map<string, string[]>();
for (const [family, texts] of Object.entries(families)) {
	texts.forEach((text, i) => {
		const id = `${family}-${i}`;
		papers.push(paper(id, `A study ${i} of ${family}`));
		pageTexts.set(id, [text, 'Deep learning models in medical imaging need explanations.']);
	});
}

describe('computeSimilarity', () => {
	const { similar, map } = computeSimilarity(papers, pageTexts);

	it('ranks papers of the same family as the nearest neighbours', () => {
		for (const p of papers) {
			const family = p.id.split('-')[0];
			const [first, second] = similar[p.id];
			expect(first.id.split('-')[0]).toBe(family);
			expect(second.id.split('-')[0]).toBe(family);
			expect(first.score).toBeGreaterThan(0);
			expect(first.score).toBeGreaterThanOrEqual(second.score);
		}
	});

	it('never lists a paper as similar to itself, and keeps at most five', () => {
		for (const p of papers) {
			expect(similar[p.id].map((s) => s.id)).not.toContain(p.id);
			expect(similar[p.id].length).toBeLessThanOrEqual(5);
		}
	});

	it('explains each neighbour by the terms the two papers share, in their written form', () => {
		const terms = similar['saliency-0'][0].terms;
		expect(terms.length).toBeGreaterThan(0);
		expect(
			terms.some((t) => ['grad-cam', 'saliency', 'heatmaps', 'chest', 'pneumonia'].includes(t))
		).toBe(true);
		const uncertaintyTerms = similar['uncertainty-1'][0].terms;
		expect(
			uncertaintyTerms.some((t) => ['uncertainty', 'calibration', 'brain', 'dropout'].includes(t))
		).toBe(true);
	});

	it('places papers of one family closer together on the map than to the others', () => {
		expect(map).toHaveLength(papers.length);
		const at = new Map(map.map((p) => [p.id, p]));
		const distance = (a: string, b: string) =>
			Math.hypot(at.get(a)!.x - at.get(b)!.x, at.get(a)!.y - at.get(b)!.y);
		for (const family of Object.keys(families)) {
			const inside = Math.max(
				distance(`${family}-0`, `${family}-1`),
				distance(`${family}-0`, `${family}-2`)
			);
			for (const other of Object.keys(families).filter((f) => f !== family)) {
				expect(distance(`${family}-0`, `${other}-0`)).toBeGreaterThan(inside);
			}
		}
		for (const point of map) {
			expect(Math.abs(point.x)).toBeLessThanOrEqual(1);
			expect(Math.abs(point.y)).toBeLessThanOrEqual(1);
		}
	});

	it('is deterministic from build to build', () => {
		expect(computeSimilarity(papers, pageTexts)).toEqual({ similar, map });
	});

	it('takes the term counts kept for the pages of a paper instead of reading its pages again', () => {
		const pageTerms = new Map(
			papers.map((p) => [p.id, countTerms(pageTexts.get(p.id)!.join('\n'))])
		);
		const unread = new Map(papers.map((p) => [p.id, ['(pages not read again)']]));
		expect(computeSimilarity(papers, unread, { pageTerms })).toEqual({ similar, map });
	});

	it('gives a paper with no shared vocabulary no neighbours instead of random ones', () => {
		const lonely = paper('lonely', 'Zebrafish husbandry');
		const result = computeSimilarity([...papers, lonely], pageTexts);
		expect(result.similar.lonely).toEqual([]);
	});
});

describe('computeSimilarity: a floor on what counts as similar', () => {
	// Twelve papers on twelve subjects, eight of them written in the same generic prose.
	const subjects = [
		'glioma grading from multi-sequence brain MRI',
		'vertebral fracture detection on spine radiographs',
		'lung nodule malignancy from chest computed tomography',
		'diabetic retinopathy from fundus photographs',
		'skin lesion classification from dermoscopy',
		'mammography mass detection in breast screening',
		'cardiac ejection fraction from echocardiography',
		'colon polyp detection in colonoscopy video',
		'prostate cancer grading on histopathology slides',
		'knee osteoarthritis severity from radiographs',
		'fetal head circumference from ultrasound',
		'liver lesion segmentation in abdominal scans'
	];
	const generic =
		'About this pdf: here we show learning results. There is room for improvement, see the bar plot.';
	const papers = subjects.map((_, i) => paper(`subject-${i}`, `Study ${i}`));
	const pageTexts = new Map(
		subjects.map((subject, i) => [
			`subject-${i}`,
			[i < 8 ? `${subject}. ${generic} ${generic}` : `${subject}.`]
		])
	);

	it('lists no neighbour for papers that share only words found in most papers', () => {
		const { similar } = computeSimilarity(papers, pageTexts);
		for (const item of papers) {
			const listed = similar[item.id].filter((other) => other.id.startsWith('subject-'));
			expect(listed, item.id).toEqual([]);
		}
	});

	it('never shows a word found in most papers as a shared term', () => {
		const twin = paper('twin', 'Study twin');
		const texts = new Map(pageTexts);
		texts.set('twin', [`Glioma grading. ${generic}`]);
		const { similar } = computeSimilarity([...papers, twin], texts);
		const [neighbour] = similar.twin;
		expect(neighbour.id).toBe('subject-0');
		for (const term of neighbour.terms) {
			expect(['about', 'pdf', 'here', 'learning', 'room', 'bar', 'plot']).not.toContain(term);
		}
		expect(neighbour.terms).toEqual(expect.arrayContaining(['glioma', 'grading']));
	});

	it('does not list a paper that shares a single specific word', () => {
		const one = paper('one-word', 'Study one word');
		const texts = new Map(pageTexts);
		texts.set('one-word', [`Echocardiography. ${generic}`]);
		const { similar } = computeSimilarity([...papers, one], texts);
		expect(similar['one-word']).toEqual([]);
	});
});

describe('pcaMap', () => {
	it('recovers the main axis of points spread along a line', () => {
		// Points on a line in a 2D feature space: (t, 2t).
		const ts = [-2, -1, 0, 1, 2];
		const points = pcaMap(
			ts.map(
				(t) =>
					new Map([
						['a', t],
						['b', 2 * t]
					])
			)
		);
		expect(points.map(([x]) => Math.abs(x))).toEqual([1, 0.5, 0, 0.5, 1]);
		for (const [, y] of points) expect(Math.abs(y)).toBeLessThan(1e-3);
	});

	it('finds the two leading axes even when their variances differ by a tenth of a percent', () => {
		// Twelve orthogonal directions of spread (cosine waves over the papers), the k-th with
		// variance 1 + k/1000: the map's x must follow wave 11 and its y wave 10, which stopping
		// power iteration after a fixed number of steps does not reach.
		const papers = 240;
		const wave = (k: number) =>
			Array.from({ length: papers }, (_, i) => Math.cos((2 * Math.PI * (k + 1) * i) / papers));
		const vectors: Vector[] = Array.from({ length: papers }, (_, i) => {
			const vector: Vector = new Map();
			for (let k = 0; k < 12; k++) vector.set(`t${k}`, 1 + Math.sqrt(1 + k / 1000) * wave(k)[i]);
			return vector;
		});
		const points = pcaMap(vectors);
		const cosine = (a: number[], b: number[]) =>
			Math.abs(a.reduce((s, v, i) => s + v * b[i], 0)) / (Math.hypot(...a) * Math.hypot(...b));
		expect(
			cosine(
				points.map(([x]) => x),
				wave(11)
			)
		).toBeGreaterThan(0.999);
		expect(
			cosine(
				points.map(([, y]) => y),
				wave(10)
			)
		).toBeGreaterThan(0.999);
	});
});
