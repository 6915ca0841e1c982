import { describe, expect, it } from 'vitest';
import { OriginConfigError, resolvePublicOrigin } from '../../src/lib/server/origin.ts';
import { formatErrorLog, formatRequestLog } from '../../src/lib/server/request-log.ts';
import {
	applySecurityHeaders,
	DATA_CONTENT_SECURITY_POLICY
} from '../../src/lib/server/security-headers.ts';

describe('resolvePublicOrigin', () => {
	it('uses ORIGIN, without a trailing slash, whatever else is set', () => {
		expect(
			resolvePublicOrigin({ ORIGIN: 'https://imimic.example.org/', NODE_ENV: 'production' })
		).toBe('https://imimic.example.org');
		expect(resolvePublicOrigin({ ORIGIN: 'http://127.0.0.1:8080', PORT: '3000' })).toBe(
			'http://127.0.0.1:8080'
		);
	});

	it('refuses to run in production without ORIGIN, saying what to set', () => {
		expect(() => resolvePublicOrigin({ NODE_ENV: 'production' })).toThrow(OriginConfigError);
		expect(() => resolvePublicOrigin({ NODE_ENV: 'production', ORIGIN: ' ' })).toThrow(
			/ORIGIN: not set.*ORIGIN=https:/
		);
	});

	it('defaults to plain http on localhost and the port outside production', () => {
		expect(resolvePublicOrigin({})).toBe('http://localhost:3000');
		expect(resolvePublicOrigin({ PORT: '4173', NODE_ENV: 'development' })).toBe(
			'http://localhost:4173'
		);
	});

	it('refuses an ORIGIN that is not a bare http(s) origin', () => {
		for (const origin of [
			'imimic.example.org',
			'ftp://imimic.example.org',
			'https://imimic.example.org/glassbox',
			'https://imimic.example.org/?x=1',
			'https://user:secret@imimic.example.org'
		]) {
			expect(() => resolvePublicOrigin({ ORIGIN: origin }), origin).toThrow(OriginConfigError);
		}
	});
});

describe('formatRequestLog', () => {
	it('writes one JSON line in which a path full of format specifiers stays as sent', () => {
		const line = formatRequestLog(
			{ method: 'GET', path: '/topics/%ff%s%d\n', status: 400, ms: 1.234, bytes: 12 },
			new Date('2026-01-02T03:04:05Z')
		);
		expect(line).not.toContain('\n');
		expect(JSON.parse(line)).toEqual({
			time: '2026-01-02T03:04:05.000Z',
			level: 'info',
			method: 'GET',
			path: '/topics/%ff%s%d\n',
			status: 400,
			ms: 1.2,
			bytes: 12
		});
	});

	it('marks server errors as errors and cuts very long paths', () => {
		const entry = JSON.parse(
			formatRequestLog({
				method: 'GET',
				path: `/${'a'.repeat(5000)}`,
				status: 500,
				ms: 3,
				bytes: null
			})
		);
		expect(entry.level).toBe('error');
		expect(entry.path.length).toBeLessThan(400);
		expect(entry.path).toContain('(5001)');
	});

	it('logs an unexpected error with its stack in the same single line', () => {
		const line = formatErrorLog({ method: 'GET', path: '/x' }, new Error('disk on fire'));
		expect(line.split('\n')).toHaveLength(1);
		const entry = JSON.parse(line);
		expect(entry).toMatchObject({ level: 'error', path: '/x', error: 'disk on fire' });
		expect(entry.stack).toContain('disk on fire');
	});
});

describe('applySecurityHeaders', () => {
	it('puts nosniff, a referrer policy and a frame ban on every answer', () => {
		for (const type of ['text/html', 'application/json', 'application/pdf', 'image/jpeg']) {
			const headers = new Headers({ 'content-type': type });
			applySecurityHeaders(headers);
			expect(headers.get('x-content-type-options'), type).toBe('nosniff');
			expect(headers.get('x-frame-options'), type).toBe('DENY');
			expect(headers.get('referrer-policy'), type).toBe('strict-origin-when-cross-origin');
		}
	});

	it('gives data answers a policy that allows nothing, and leaves pages and PDFs to their own', () => {
		const json = new Headers({ 'content-type': 'application/json' });
		applySecurityHeaders(json);
		expect(json.get('content-security-policy')).toBe(DATA_CONTENT_SECURITY_POLICY);
		for (const type of ['text/html; charset=utf-8', 'application/pdf', 'image/jpeg']) {
			const headers = new Headers({ 'content-type': type });
			applySecurityHeaders(headers);
			expect(headers.get('content-security-policy'), type).toBeNull();
		}
		const page = new Headers({
			'content-type': 'text/html',
			'content-security-policy': "default-src 'self'"
		});
		applySecurityHeaders(page);
		expect(page.get('content-security-policy')).toBe("default-src 'self'");
	});
});
