// Skyfold — what the local app's pages (app.js for /, chat.js for /chat) share: building
// elements, the masthead's health badge and signed-in bar, the screen-reader announcer,
// number formatting, and calling the app, whose errors come back as problems (RFC 9457).
// Plain ES module, no dependencies.
//
// The pages call the app with the session they signed in with; every write carries the
// session's CSRF token (the XSRF-TOKEN cookie, sent back as the X-XSRF-TOKEN header).
//
// Everything that comes from the server or the user is put in the page as text, never as
// HTML.

/** The element with an id. */
export const $ = (id) => document.getElementById(id);

/** Builds an element; string and number children become text nodes, never markup. */
export function h(tag, props = {}, ...children) {
	const el = document.createElement(tag);
	for (const [name, value] of Object.entries(props)) {
		if (value == null || value === false) continue;
		if (name === 'class') el.className = value;
		else if (name === 'text') el.textContent = value;
		else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
		else if (name in el && typeof value !== 'string') el[name] = value;
		else el.setAttribute(name, value === true ? '' : value);
	}
	for (const child of children.flat()) {
		if (child == null || child === false) continue;
		el.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return el;
}

/** Shows a text in an element, and hides the element while the text is empty. */
export function showText(el, text) {
	el.textContent = text;
	el.hidden = !text;
}

/** Shows the app's state in the masthead's health badge (a live region: speaks changes only). */
export function showHealth(el, state, words, title) {
	el.dataset.state = state;
	el.title = title;
	const text = el.querySelector('.health-text');
	if (text.textContent !== words) text.textContent = words;
}

/** Has the page's live region (#announcer) read a line to screen-reader users. */
export function announce(text) {
	const announcer = $('announcer');
	announcer.textContent = '';
	// Emptied first, so that the same words twice are read twice.
	setTimeout(() => {
		announcer.textContent = text;
	}, 50);
}

export const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** What the pages say when the app does not answer at all. */
export const NETWORK_ERROR = 'The app could not be reached (network error). Is it still running?';

/**
 * Reads an error answer into { title, detail, status, isProblem }: the fields of a problem
 * document (RFC 9457), or else the HTTP status and a short plain-text body.
 */
export async function readProblem(response) {
	let body = '';
	try {
		body = await response.text();
	}
	catch {
		// the body is lost; the status alone will do
	}
	return problemFrom(response.status, response.statusText, response.headers.get('Content-Type'), body);
}

/** As readProblem, for an answer already read (an XMLHttpRequest's). */
export function problemFrom(status, statusText, contentType, body) {
	if (body && /json/i.test(contentType || '')) {
		try {
			const p = JSON.parse(body);
			if (p && (p.title || p.detail)) {
				return { title: p.title || `HTTP ${status}`, detail: p.detail || '', status: p.status || status, isProblem: true };
			}
		}
		catch {
			// not JSON after all; fall through
		}
	}
	const title = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
	const detail = body && body.length < 300 && !/<[a-z!]/i.test(body) ? body.trim() : '';
	return { title, detail, status, isProblem: false };
}

/** A problem in one line: its title, then its detail. */
export const problemLine = (p) => `${p.title}${p.detail ? `: ${p.detail}` : ''}`;

/** An answer other than 2xx: its HTTP status and the problem it carried. */
export class HttpError extends Error {
	constructor(status, problem) {
		super(problemLine(problem));
		this.status = status;
		this.problem = problem;
	}
}

/** The headers a write needs to prove it comes from the app's own page. */
export function csrfHeaders() {
	const cookie = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
	return cookie ? { 'X-XSRF-TOKEN': decodeURIComponent(cookie.slice('XSRF-TOKEN='.length)) } : {};
}

/** Fetches JSON, never from the cache; throws HttpError for an error answer, TypeError when the app is unreachable. */
export async function fetchJson(url, init = {}) {
	const write = init.method && init.method !== 'GET' && init.method !== 'HEAD';
	const response = await fetch(url, {
		...init,
		headers: { Accept: 'application/json', ...(write ? csrfHeaders() : {}), ...init.headers },
		cache: 'no-store',
	});
	if (!response.ok) {
		throw new HttpError(response.status, await readProblem(response));
	}
	return response.json();
}

/** Calls a function under /fn with a JSON body and returns its JSON answer, as fetchJson does. */
export function callFunction(name, body) {
	return fetchJson(`/fn/${name}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
}

/** The order of the roles: each may do all the ones before it may. */
const ROLES = ['viewer', 'member', 'admin'];

/** Whether the signed-in caller ({ name, role }) holds a role or one above it. */
export const mayAct = (me, role) => Boolean(me) && ROLES.indexOf(me.role) >= ROLES.indexOf(role);

/**
 * Learns who is signed in (GET /me) and shows it in the masthead's bar (#signed-in), with a
 * button that signs out. Resolves to { name, role }; a session that has ended sends the page
 * to sign in again.
 */
export async function signedIn() {
	let me;
	try {
		me = await fetchJson('/me');
	}
	catch (error) {
		if (error instanceof HttpError && error.status === 401) window.location.assign('/login');
		throw error;
	}
	const bar = $('signed-in');
	if (bar) {
		bar.replaceChildren(
			h('span', { class: 'who' }, 'Signed in as ', h('strong', { id: 'me-name', text: me.name })),
			' ',
			h('span', { class: 'role', id: 'me-role', text: me.role || 'no role' }),
			' ',
			h('button', { type: 'button', class: 'button small', id: 'sign-out', text: 'Sign out', onclick: signOut }));
		bar.hidden = false;
	}
	return me;
}

/** Ends the session (POST /logout, with the CSRF token) and shows the sign-in page. */
async function signOut() {
	try {
		await fetch('/logout', { method: 'POST', headers: csrfHeaders(), redirect: 'manual', cache: 'no-store' });
	}
	finally {
		window.location.assign('/login?logout');
	}
}
