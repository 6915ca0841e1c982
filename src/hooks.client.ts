import type { ClientInit } from '@sveltejs/kit';
import { earlyDrawingSettled } from '$lib/components/reader/early-drawing.ts';

/**
 * On a reader's page, hydration waits (at most 1.5 s) for the early script to draw the page
 * opened at: pdf.js's range requests and its drawing run on the main thread too, and hydrating
 * first held them up by the length of the hydration (npm run bench:reader).
 */
export const init: ClientInit = () => earlyDrawingSettled(1500);
