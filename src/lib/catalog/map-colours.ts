/** A colour per workshop topic for the paper map: distinct hues readable on light and dark. */
const PALETTE = [
	'#1f77b4',
	'#d62728',
	'#2ca02c',
	'#9467bd',
	'#ff7f0e',
	'#17becf',
	'#8c564b',
	'#e377c2',
	'#bcbd22',
	'#0b6e4f',
	'#393b79',
	'#637939'
];

/** Colour of the i-th legend entry; cycles when there are more topics than colours. */
export function topicColour(index: number): string {
	return PALETTE[index % PALETTE.length];
}

/** Points whose paper has no workshop topic. */
export const NO_TOPIC_COLOUR = '#a0a8b3';
