/**
 * Finding the figures of a PDF page for the text view: the boxes of the images pdf.js paints and
 * of the vector drawing it strokes and fills (from the page's operator list, with the current
 * transform followed through save, restore and form XObjects), gathered into clusters; a cluster
 * with a large enough image, or enough drawing to be a chart or diagram, is a figure. The labels
 * printed beside a drawing (axis ticks, legends) are taken into its box.
 */
import type { Segment } from './layout.ts';

/** A box in PDF user space (points, y upwards). */
export interface Box {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

/** The operator codes the finder reads (pdf.js's `OPS`). */
export interface FigureOps {
	save: number;
	restore: number;
	transform: number;
	paintFormXObjectBegin: number;
	paintFormXObjectEnd: number;
	paintImageXObject: number;
	paintInlineImageXObject: number;
	paintImageMaskXObject: number;
	constructPath: number;
	endPath: number;
	clip: number;
	eoClip: number;
}

/** The part of a pdf.js operator list the finder reads. */
export interface OperatorListLike {
	fnArray: readonly number[];
	argsArray: readonly unknown[];
}

type Matrix = [number, number, number, number, number, number];

/** Drawing boxes closer than this (points) belong to one cluster: the parts of one chart. */
const CLUSTER_GAP = 6;
/** An image smaller than this share of the page is a logo, an icon or an inline symbol. */
const MIN_IMAGE_AREA = 0.015;
/** A cluster of drawing with fewer shapes than this that are not lines is a rule or a frame. */
const MIN_SHAPES = 3;
/** A figure is at least this share of the page wide and high (tables of rules are lines only). */
const MIN_FIGURE_WIDTH = 0.12;
const MIN_FIGURE_HEIGHT = 0.05;
/** A box this much of the page or more is a background or a page frame, not a figure. */
const MAX_AREA = 0.8;
/** A path thinner than this (points) is a line: a rule, an axis, an underline. */
const LINE_WIDTH = 1.5;
/** Labels this close to a drawing (points) are part of it: tick labels, legends. */
const LABEL_REACH = 14;
/** A label is short and smaller than the body text; anything else beside a figure is prose. */
const MAX_LABEL_CHARS = 40;
const MAX_LABEL_SIZE = 0.95;
const CAPTION = /^(?:Fig(?:ure)?\.?|Table|Algorithm)\s*\d/i;

function multiply(m: Matrix, n: Matrix): Matrix {
	return [
		m[0] * n[0] + m[2] * n[1],
		m[1] * n[0] + m[3] * n[1],
		m[0] * n[2] + m[2] * n[3],
		m[1] * n[2] + m[3] * n[3],
		m[0] * n[4] + m[2] * n[5] + m[4],
		m[1] * n[4] + m[3] * n[5] + m[5]
	];
}

/** The axis-aligned box of `[x0, y0, x1, y1]` after transform `m`. */
function transformBox(m: Matrix, x0: number, y0: number, x1: number, y1: number): Box {
	const xs: number[] = [];
	const ys: number[] = [];
	for (const [x, y] of [
		[x0, y0],
		[x1, y0],
		[x0, y1],
		[x1, y1]
	]) {
		xs.push(m[0] * x + m[2] * y + m[4]);
		ys.push(m[1] * x + m[3] * y + m[5]);
	}
	return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

const isMatrix = (value: unknown): value is Matrix =>
	Array.isArray(value) || ArrayBuffer.isView(value)
		? (value as ArrayLike<unknown>).length === 6
		: false;

interface Mark {
	box: Box;
	image: boolean;
	line: boolean;
}

/** The graphics state the finder follows: the transform, and the clip as a box (none: the page). */
interface State {
	ctm: Matrix;
	clip: Box | null;
}

/**
 * The painted images and shapes of an operator list, in user space, cut to the clip in force
 * (an image is often placed larger than the part of it a clip shows).
 */
function paintedMarks(list: OperatorListLike, ops: FigureOps): Mark[] {
	const marks: Mark[] = [];
	let state: State = { ctm: [1, 0, 0, 1, 0, 0], clip: null };
	const stack: State[] = [];
	let clipping = false;
	const add = (box: Box, image: boolean) => {
		const shown = state.clip ? intersect(box, state.clip) : box;
		if (!shown) return;
		const line = !image && Math.min(shown.x1 - shown.x0, shown.y1 - shown.y0) < LINE_WIDTH;
		marks.push({ box: shown, image, line });
	};
	for (let index = 0; index < list.fnArray.length; index++) {
		const fn = list.fnArray[index];
		const args = list.argsArray[index] as unknown[] | null;
		if (fn === ops.save) stack.push(state);
		else if (fn === ops.restore) state = stack.pop() ?? state;
		else if (fn === ops.transform && args && args.length === 6) {
			state = { ...state, ctm: multiply(state.ctm, args as Matrix) };
		} else if (fn === ops.paintFormXObjectBegin) {
			stack.push(state);
			if (args && isMatrix(args[0])) {
				state = { ...state, ctm: multiply(state.ctm, Array.from(args[0]) as Matrix) };
			}
		} else if (fn === ops.paintFormXObjectEnd) state = stack.pop() ?? state;
		else if (fn === ops.clip || fn === ops.eoClip) clipping = true;
		else if (
			fn === ops.paintImageXObject ||
			fn === ops.paintInlineImageXObject ||
			fn === ops.paintImageMaskXObject
		) {
			add(transformBox(state.ctm, 0, 0, 1, 1), true);
		} else if (fn === ops.constructPath && args) {
			const minMax = args[2] as ArrayLike<number> | null;
			const box =
				minMax && Number.isFinite(minMax[0])
					? transformBox(state.ctm, minMax[0], minMax[1], minMax[2], minMax[3])
					: null;
			if (clipping && box) {
				const clip = state.clip ? intersect(box, state.clip) : box;
				state = { ...state, clip: clip ?? { x0: 0, y0: 0, x1: 0, y1: 0 } };
			} else if (box && args[0] !== ops.endPath) add(box, false);
			clipping = false;
		}
	}
	return marks;
}

function intersect(a: Box, b: Box): Box | null {
	const box = {
		x0: Math.max(a.x0, b.x0),
		y0: Math.max(a.y0, b.y0),
		x1: Math.min(a.x1, b.x1),
		y1: Math.min(a.y1, b.y1)
	};
	return box.x1 > box.x0 && box.y1 > box.y0 ? box : null;
}

const area = (box: Box) => Math.max(0, box.x1 - box.x0) * Math.max(0, box.y1 - box.y0);
const near = (a: Box, b: Box, gap: number) =>
	a.x0 <= b.x1 + gap && b.x0 <= a.x1 + gap && a.y0 <= b.y1 + gap && b.y0 <= a.y1 + gap;
const union = (a: Box, b: Box): Box => ({
	x0: Math.min(a.x0, b.x0),
	y0: Math.min(a.y0, b.y0),
	x1: Math.max(a.x1, b.x1),
	y1: Math.max(a.y1, b.y1)
});

/** Groups marks whose boxes lie within `CLUSTER_GAP` of each other (sweep along x, union-find). */
function clusters(marks: Mark[]): Mark[][] {
	const parent = marks.map((_, index) => index);
	const root = (index: number): number => {
		while (parent[index] !== index) index = parent[index] = parent[parent[index]];
		return index;
	};
	const order = marks.map((_, index) => index).sort((a, b) => marks[a].box.x0 - marks[b].box.x0);
	for (let i = 0; i < order.length; i++) {
		const a = marks[order[i]].box;
		for (let j = i + 1; j < order.length; j++) {
			const b = marks[order[j]].box;
			if (b.x0 > a.x1 + CLUSTER_GAP) break;
			if (near(a, b, CLUSTER_GAP)) parent[root(order[j])] = root(order[i]);
		}
	}
	const groups = new Map<number, Mark[]>();
	marks.forEach((mark, index) => {
		const key = root(index);
		groups.set(key, [...(groups.get(key) ?? []), mark]);
	});
	return [...groups.values()];
}

/** Merges boxes that overlap until none does. */
function mergeOverlapping(boxes: Box[]): Box[] {
	const merged = [...boxes];
	for (let changed = true; changed;) {
		changed = false;
		for (let i = 0; i < merged.length && !changed; i++) {
			for (let j = i + 1; j < merged.length; j++) {
				if (!near(merged[i], merged[j], 0)) continue;
				merged[i] = union(merged[i], merged[j]);
				merged.splice(j, 1);
				changed = true;
				break;
			}
		}
	}
	return merged;
}

/**
 * The figure boxes of a page from its operator list: `view` is the page box
 * (`[left, bottom, right, top]`), `segments` its text, for the labels around a drawing.
 */
export function findFigureBoxes(
	list: OperatorListLike,
	ops: FigureOps,
	view: readonly number[],
	segments: readonly Segment[] = []
): Box[] {
	const [left, bottom, right, top] = view;
	const page: Box = { x0: left, y0: bottom, x1: right, y1: top };
	const pageArea = area(page);
	if (!(pageArea > 0)) return [];
	const marks = paintedMarks(list, ops).filter(
		(mark) => near(mark.box, page, 0) && area(mark.box) < MAX_AREA * pageArea
	);
	const figures: Box[] = [];
	for (const group of clusters(marks)) {
		const hasImage = group.some(
			(mark) => mark.image && area(mark.box) >= MIN_IMAGE_AREA * pageArea
		);
		const shapes = group.filter((mark) => !mark.image && !mark.line).length;
		if (!hasImage && shapes < MIN_SHAPES) continue;
		// Small images and lines count only beside a figure's picture or shapes.
		const box = group.map((mark) => mark.box).reduce(union);
		figures.push(withLabels(box, segments, bodySize(segments)));
	}
	return mergeOverlapping(figures)
		.map((box) => clip(box, page))
		.filter(
			(box) =>
				box.x1 - box.x0 >= MIN_FIGURE_WIDTH * (right - left) &&
				box.y1 - box.y0 >= MIN_FIGURE_HEIGHT * (top - bottom) &&
				area(box) < MAX_AREA * pageArea
		);
}

/** The font size most of the page's characters are set in. */
function bodySize(segments: readonly Segment[]): number {
	const chars = new Map<number, number>();
	for (const segment of segments) {
		const size = Math.round(segment.size * 10) / 10;
		chars.set(size, (chars.get(size) ?? 0) + segment.text.length);
	}
	let body = Infinity;
	let most = 0;
	for (const [size, count] of chars) if (count > most) [body, most] = [size, count];
	return body;
}

/** The box grown over the short, small labels printed just outside it (one pass). */
function withLabels(box: Box, segments: readonly Segment[], body: number): Box {
	let grown = box;
	for (const segment of segments) {
		if (segment.text.length > MAX_LABEL_CHARS || CAPTION.test(segment.text)) continue;
		if (segment.size > MAX_LABEL_SIZE * body) continue;
		const label = {
			x0: segment.x0,
			y0: segment.y - 0.25 * segment.size,
			x1: segment.x1,
			y1: segment.y + segment.size
		};
		if (near(label, box, LABEL_REACH)) grown = union(grown, label);
	}
	return grown;
}

function clip(box: Box, page: Box): Box {
	return {
		x0: Math.max(box.x0, page.x0),
		y0: Math.max(box.y0, page.y0),
		x1: Math.min(box.x1, page.x1),
		y1: Math.min(box.y1, page.y1)
	};
}
