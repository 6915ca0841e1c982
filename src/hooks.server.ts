import type { HandleServerError } from '@sveltejs/kit';

/** Unexpected errors are logged with their stack and shown to users without internals. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status !== 404)
		console.error(`glassbox: ${event.request.method} ${event.url.pathname}:`, error);
	return { message: status === 404 ? 'Not found' : message };
};
