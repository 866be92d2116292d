// Skyfold — chat: the page served at /chat by the local app.
//
// Reads a room's history through the messageHistory function (POST /fn/messageHistory),
// follows new messages on the room's Server-Sent Events stream (GET /rooms/<room>/stream)
// and posts through postMessage (POST /fn/postMessage) under the signed-in name. A viewer
// reads; posting needs the member role. Plain ES module, no dependencies, works offline.
//
// Every message is kept once, by id, whichever way it arrived: the reply to our own post,
// the stream, the first page of history or the history fetched again after a dropped
// connection to fill the gap. Message text, names and errors are put in the page as
// text, never as HTML.

import {
	$, announce, callFunction, h, HttpError, integer, mayAct, NETWORK_ERROR, problemLine, showHealth, showText, signedIn,
} from './common.js';

const MAX_TEXT = 4000;
const PAGE = 50;
const CATCH_UP_PAGE = 200;
const CATCH_UP_PAGES = 10;
const DEFAULT_ROOM = 'general';
const ROOM_PATTERN = /^[a-z0-9-]{1,64}$/;
// What the server refuses in a name or text: control characters (newlines are allowed in
// text), line and paragraph separators, lone surrogates and unassigned code points.
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\p{Cn}]/u;
const NEAR_BOTTOM_PX = 48;
const RECONNECT_MAX_MS = 30000;
/** Pauses before posting again after a network error or a 5xx, with the same client id. */
const SEND_RETRY_MS = [500, 1500];

/** The room joined now. */
let session = null;

const roomInput = $('room');
const roomHint = $('room-hint');
const settingsForm = $('settings');
const roomNameEl = $('room-name');
const roomSummary = $('room-summary');
const scroller = $('scroller');
const list = $('messages');
const emptyEl = $('empty');
const loadingEl = $('loading');
const earlierBox = $('earlier-box');
const earlierButton = $('earlier');
const jumpButton = $('jump');
const composer = $('composer');
const readOnly = $('read-only');
const textInput = $('text');
const sendButton = $('send');
const composerHint = $('composer-hint');
const counter = $('counter');
const sendError = $('send-error');
const shareLink = $('share');
const shareRoom = $('share-room');
const statusEl = $('status');

// ---------------------------------------------------------------- helpers

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayClockFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** Characters as the server counts them: Unicode code points. */
const codePoints = (text) => {
	let n = 0;
	for (const _ of text) n++; // eslint-disable-line no-unused-vars
	return n;
};

/**
 * A key that sorts messages as the server does (by time, then id) whatever the number
 * of fraction digits the server wrote: 12:00:01Z, 12:00:01.5Z and 12:00:01.516152Z.
 */
function sortKey(message) {
	const match = /^([+-]?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(message.createdAt);
	let instant;
	if (match) {
		instant = `${match[1]}.${(match[2] || '').padEnd(9, '0')}Z`;
	}
	else {
		const t = Date.parse(message.createdAt);
		instant = Number.isNaN(t) ? String(message.createdAt) : new Date(t).toISOString().replace('Z', '000000Z');
	}
	return `${instant} ${message.id}`;
}

/** Milliseconds since the epoch; fractions beyond milliseconds are dropped first. */
function parseInstant(iso) {
	return Date.parse(String(iso).replace(/(\.\d{3})\d+/, '$1'));
}

function formatTime(iso) {
	const date = new Date(parseInstant(iso));
	if (Number.isNaN(date.getTime())) return { short: '', full: '' };
	const today = new Date();
	const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth()
		&& date.getDate() === today.getDate();
	return { short: (sameDay ? clockFormat : dayClockFormat).format(date), full: fullFormat.format(date) };
}

/** A fresh id for a post, so that posting it again (a retry) stores it once. */
function newClientMessageId() {
	if (globalThis.crypto?.randomUUID) {
		try {
			return crypto.randomUUID();
		}
		catch {
			// not a secure context: fall through
		}
	}
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether asking again may work: the app was unreachable, busy or failed. */
function isTransient(error) {
	return !(error instanceof HttpError) || error.status >= 500 || error.status === 429 || error.status === 408;
}

const sleep = (ms) => new Promise((resolve) => {
	setTimeout(resolve, ms);
});

/** What went wrong, in words: a problem's detail, what else the app answered, or that it did not. */
function errorText(error) {
	if (!(error instanceof HttpError)) return NETWORK_ERROR;
	const problem = error.problem;
	return problem.isProblem ? String(problem.detail || problem.title) : `The app answered ${problemLine(problem)}`;
}

// ---------------------------------------------------------------- who

/** The signed-in caller, { name, role }, once known: messages are posted under that name. */
let me = null;

function currentName() {
	return me ? me.name : '';
}

/** Why this page cannot post now, or '' when it can. */
function nameProblem() {
	if (!me) return 'Signing in…';
	if (!mayAct(me, 'member')) return 'Posting needs the member role.';
	return '';
}

// ---------------------------------------------------------------- room

function normalizeRoom(value) {
	return String(value || '').trim().toLowerCase().replace(/[\s_]+/g, '-');
}

function roomFromUrl() {
	const asked = new URLSearchParams(location.search).get('room');
	if (asked == null || asked === '') return { room: DEFAULT_ROOM, problem: '' };
	const room = normalizeRoom(asked);
	if (ROOM_PATTERN.test(room)) return { room, problem: '' };
	return { room: DEFAULT_ROOM, problem: `“${asked}” is not a room name, so you are in #${DEFAULT_ROOM}.` };
}

function setRoomHint(problem) {
	roomHint.textContent = problem || 'Lower-case letters, digits and dashes.';
	roomHint.classList.toggle('bad', Boolean(problem));
	roomInput.setAttribute('aria-invalid', problem ? 'true' : 'false');
}

// ---------------------------------------------------------------- status

const STATUS_TEXT = {
	connecting: 'Connecting…',
	up: 'Live',
	reconnecting: 'Reconnecting…',
};

function setStatus(state, detail) {
	if (statusEl.dataset.state === state && !detail) return;
	showHealth(statusEl, state, STATUS_TEXT[state] || state, detail || (state === 'up'
		? 'New messages arrive as they are posted'
		: 'Waiting for the app; messages posted meanwhile are fetched once it answers'));
}

// ---------------------------------------------------------------- scrolling

function isNearBottom() {
	return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
}

function scrollToBottom() {
	scroller.scrollTop = scroller.scrollHeight;
	followingNewest = true;
	jumpButton.hidden = true;
}

/** Whether the reader is following the newest messages, as of their last scroll. */
let followingNewest = true;

scroller.addEventListener('scroll', () => {
	followingNewest = isNearBottom();
	if (followingNewest) jumpButton.hidden = true;
});

// The list gets shorter when the send box grows or an error shows under it: a reader who
// was following the newest messages keeps seeing them.
if ('ResizeObserver' in window) {
	new ResizeObserver(() => {
		if (followingNewest) scroller.scrollTop = scroller.scrollHeight;
	}).observe(scroller);
}

jumpButton.addEventListener('click', () => {
	scrollToBottom();
	scroller.focus({ preventScroll: true });
});

// ---------------------------------------------------------------- a room's session

/**
 * One room, joined: its messages (by id), its stream and its history requests. Switching
 * room closes the session, and whatever its requests bring back afterwards is dropped.
 */
class RoomSession {
	constructor(room) {
		this.room = room;
		this.closed = false;
		/** Messages by id: { message, el, key }. */
		this.messages = new Map();
		this.historyLoaded = false;
		this.hasEarlier = false;
		this.loadingEarlier = false;
		this.catchingUp = false;
		this.catchUpAgain = false;
		this.catchUpFloor = null;
		this.source = null;
		this.reconnectTimer = 0;
		this.reconnectDelay = 2000;
		this.catchUpTimer = 0;
		this.catchUpDelay = 2000;
		this.everOpened = false;
	}

	start() {
		list.replaceChildren();
		jumpButton.hidden = true;
		this.render();
		this.catchUp();
		this.connect();
	}

	close() {
		this.closed = true;
		clearTimeout(this.reconnectTimer);
		clearTimeout(this.catchUpTimer);
		if (this.source) this.source.close();
		this.source = null;
	}

	// -------------------------------------------------------------- stream

	connect() {
		if (this.closed) return;
		setStatus(this.everOpened ? 'reconnecting' : 'connecting');
		const source = new EventSource(`/rooms/${encodeURIComponent(this.room)}/stream`);
		this.source = source;
		source.addEventListener('open', () => {
			if (this.closed || source !== this.source) return;
			this.reconnectDelay = 2000;
			const reconnected = this.everOpened;
			this.everOpened = true;
			setStatus('up');
			// The stream only carries what is posted from now on: fetch what was posted
			// before it opened (on arrival, or while the connection was down) and merge.
			// Always, not only after a drop: what was posted between the first page of history
			// and the stream's opening would be missed otherwise.
			this.catchUp();
			if (reconnected) announce('Connection is back.');
		});
		source.addEventListener('message', (event) => {
			if (this.closed || source !== this.source) return;
			let message;
			try {
				message = JSON.parse(event.data);
			}
			catch {
				return;
			}
			if (!isMessage(message) || message.room !== this.room) return;
			this.add([message], { live: true });
		});
		source.addEventListener('resync', (event) => {
			if (this.closed || source !== this.source) return;
			// The app could not deliver everything live (its instances lost touch for a
			// while): fetch the history back to the instant it names and merge.
			let since;
			try {
				since = JSON.parse(event.data).since;
			}
			catch {
				since = undefined;
			}
			this.catchUp(typeof since === 'string' ? sortKey({ createdAt: since, id: '' }) : undefined);
		});
		source.addEventListener('error', () => {
			if (this.closed || source !== this.source) return;
			setStatus('reconnecting');
			if (source.readyState === EventSource.CLOSED) {
				// The browser gave up (the app answered with an error rather than a stream):
				// try again ourselves, a little later each time.
				source.close();
				clearTimeout(this.reconnectTimer);
				this.reconnectTimer = setTimeout(() => this.connect(), this.reconnectDelay);
				this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
			}
			// Otherwise EventSource reconnects on its own, after the retry the server set.
		});
	}

	/** Reconnects at once if the browser has given up, e.g. when the network is back. */
	nudge() {
		if (this.closed) return;
		if (!this.source || this.source.readyState === EventSource.CLOSED) {
			clearTimeout(this.reconnectTimer);
			this.connect();
		}
	}

	// -------------------------------------------------------------- history

	/**
	 * Fetches the latest messages and merges them: the first page on arrival, or, after
	 * a reconnect or a resync, as many pages back as it takes to reach what is already
	 * shown (and the resync's instant).
	 */
	async catchUp(floor) {
		// A floor (a sort key) asks to page back at least that far, past what is shown.
		if (floor && (!this.catchUpFloor || floor < this.catchUpFloor)) this.catchUpFloor = floor;
		if (this.catchingUp) {
			this.catchUpAgain = true;
			return;
		}
		this.catchingUp = true;
		try {
			do {
				this.catchUpAgain = false;
				await this.fetchLatest();
			} while (this.catchUpAgain && !this.closed);
		}
		finally {
			this.catchingUp = false;
		}
	}

	async fetchLatest() {
		const first = !this.historyLoaded;
		const limit = first ? PAGE : CATCH_UP_PAGE;
		const floor = this.catchUpFloor;
		this.catchUpFloor = null;
		let newest = this.newestKey();
		if (floor && (!newest || floor < newest)) newest = floor;
		let before;
		for (let pages = 0; pages < CATCH_UP_PAGES; pages++) {
			let page;
			try {
				page = await this.history(before, limit);
			}
			catch (error) {
				if (this.closed) return;
				if (first) this.showLoadingError(error);
				if (floor && (!this.catchUpFloor || floor < this.catchUpFloor)) this.catchUpFloor = floor;
				// Try again a little later: the gap must be filled even if the stream stays up.
				clearTimeout(this.catchUpTimer);
				this.catchUpTimer = setTimeout(() => this.catchUp(), this.catchUpDelay);
				this.catchUpDelay = Math.min(this.catchUpDelay * 2, RECONNECT_MAX_MS);
				return;
			}
			if (this.closed) return;
			this.catchUpDelay = 2000;
			if (first) {
				this.historyLoaded = true;
				this.hasEarlier = page.length >= limit;
				this.add(page, { initial: true });
				return;
			}
			// Only the gap: what is older than the oldest message shown is for "load earlier".
			const oldest = list.firstElementChild ? list.firstElementChild.dataset.key : null;
			this.add(oldest ? page.filter((m) => sortKey(m) > oldest) : page, { caughtUp: true });
			if (page.length < limit || !newest || sortKey(page[0]) <= newest) return;
			before = page[0];
		}
	}

	async loadEarlier() {
		if (this.loadingEarlier || !this.historyLoaded) return;
		const oldest = list.firstElementChild && this.messages.get(list.firstElementChild.dataset.id);
		if (!oldest) return;
		this.loadingEarlier = true;
		earlierButton.disabled = true;
		earlierButton.textContent = 'Loading…';
		try {
			const page = await this.history(oldest.message, PAGE);
			if (this.closed) return;
			this.hasEarlier = page.length >= PAGE;
			this.add(page, { earlier: true });
		}
		catch (error) {
			if (!this.closed) announce(`Could not load earlier messages. ${errorText(error)}`);
		}
		finally {
			this.loadingEarlier = false;
			earlierButton.disabled = false;
			earlierButton.textContent = 'Load earlier messages';
			if (!this.closed) this.render();
		}
	}

	/**
	 * Fetches a page of the room's history: the latest messages, or those just before a
	 * message (by time, then id, so that messages sharing its instant are not skipped).
	 * @param {object|undefined} before the message to page back from, the oldest one fetched so
	 * far; undefined for the latest messages
	 * @param {number} limit how many messages at most
	 */
	async history(before, limit) {
		const request = { room: this.room, limit };
		if (before) {
			request.before = before.createdAt;
			request.beforeId = before.id;
		}
		const answer = await callFunction('messageHistory', request);
		return Array.isArray(answer?.messages) ? answer.messages.filter(isMessage) : [];
	}

	showLoadingError(error) {
		loadingEl.hidden = false;
		loadingEl.classList.add('bad');
		loadingEl.textContent = `Could not load the room’s history. ${errorText(error)} Trying again when the app answers.`;
	}

	// -------------------------------------------------------------- messages

	newestKey() {
		const last = list.lastElementChild;
		return last ? last.dataset.key : null;
	}

	/**
	 * Adds messages not shown yet, each in its place by time, and keeps the view where
	 * the reader expects it.
	 * @returns {number} how many were new
	 */
	add(messages, how = {}) {
		const wasNearBottom = isNearBottom();
		const heightBefore = scroller.scrollHeight;
		const topBefore = scroller.scrollTop;
		const added = [];
		let appended = false;
		for (const message of messages) {
			if (this.messages.has(message.id)) continue;
			const entry = { message, key: sortKey(message), el: renderMessage(message) };
			this.messages.set(message.id, entry);
			appended = insertInOrder(entry) || appended;
			added.push(entry);
		}
		for (const entry of added) {
			regroup(entry.el);
			regroup(entry.el.nextElementSibling);
		}
		this.render();
		if (how.initial) {
			scrollToBottom();
		}
		else if (how.earlier) {
			scroller.scrollTop = topBefore + (scroller.scrollHeight - heightBefore);
		}
		else if (added.length > 0) {
			const own = how.own || added.every((entry) => entry.el.classList.contains('own'));
			if (wasNearBottom || own) scrollToBottom();
			else if (appended) jumpButton.hidden = false;
		}
		if (how.live) {
			for (const entry of added) {
				if (!entry.el.classList.contains('own')) {
					announce(`${entry.message.author}: ${truncate(entry.message.text, 300)}`);
				}
			}
		}
		else if (how.caughtUp && added.length > 0) {
			announce(added.length === 1
				? `1 message arrived while the connection was down.`
				: `${integer.format(added.length)} messages arrived while the connection was down.`);
		}
		return added.length;
	}

	render() {
		const count = this.messages.size;
		if (this.historyLoaded) {
			loadingEl.hidden = true;
			loadingEl.classList.remove('bad');
		}
		emptyEl.hidden = !this.historyLoaded || count > 0;
		earlierBox.hidden = !this.historyLoaded || !this.hasEarlier || count === 0;
		if (!this.historyLoaded) {
			roomSummary.textContent = '';
		}
		else if (count === 0) {
			roomSummary.textContent = 'No messages yet';
		}
		else {
			const shown = `${integer.format(count)} ${count === 1 ? 'message' : 'messages'}`;
			roomSummary.textContent = this.hasEarlier ? `${shown} shown · earlier ones above` : shown;
		}
	}
}

function isMessage(m) {
	return m != null && typeof m === 'object' && typeof m.id === 'string' && typeof m.text === 'string'
		&& typeof m.author === 'string' && typeof m.createdAt === 'string';
}

const truncate = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Inserts an entry by its sort key; most arrive last, so search from the end. */
function insertInOrder(entry) {
	let after = list.lastElementChild;
	while (after && after.dataset.key > entry.key) {
		after = after.previousElementSibling;
	}
	if (after) after.after(entry.el);
	else list.prepend(entry.el);
	return entry.el === list.lastElementChild;
}

function renderMessage(message) {
	const time = formatTime(message.createdAt);
	const el = h('li', { class: 'msg', 'data-id': message.id, 'data-author': message.author },
		h('div', { class: 'msg-meta' },
			h('span', { class: 'msg-author', text: message.author }),
			h('span', { class: 'msg-you', text: ' (you)' }),
			h('span', { class: 'visually-hidden', text: ', ' }),
			h('time', { class: 'msg-time', datetime: message.createdAt, title: time.full, text: time.short })),
		h('p', { class: 'msg-text', text: message.text }));
	el.dataset.key = sortKey(message);
	markOwn(el);
	return el;
}

function markOwn(el) {
	el.classList.toggle('own', el.dataset.author === currentName());
}

/** A message right after one by the same author, within five minutes, joins its group. */
function regroup(el) {
	if (!el) return;
	const previous = el.previousElementSibling;
	let joined = false;
	if (previous && previous.dataset.author === el.dataset.author) {
		const gap = parseInstant(el.querySelector('time').dateTime) - parseInstant(previous.querySelector('time').dateTime);
		joined = gap >= 0 && gap < 5 * 60 * 1000;
	}
	el.classList.toggle('cont', joined);
}

// ---------------------------------------------------------------- composer

/** The post being sent or last failed: retried with the same client message id. */
let pending = null;
let sending = false;

function updateComposer() {
	const problem = nameProblem();
	const text = textInput.value.trim();
	const length = codePoints(text);
	const over = length > MAX_TEXT;
	textInput.disabled = Boolean(problem);
	textInput.readOnly = sending;
	sendButton.disabled = Boolean(problem) || sending || length === 0 || over;
	sendButton.textContent = sending ? 'Sending…' : 'Send';
	composer.setAttribute('aria-busy', sending ? 'true' : 'false');

	if (problem) {
		composerHint.textContent = problem;
	}
	else if (over) {
		composerHint.textContent = `Too long by ${integer.format(length - MAX_TEXT)} characters.`;
	}
	else {
		composerHint.textContent = `Enter sends · Shift+Enter for a new line · as ${currentName()}`;
	}
	composerHint.classList.toggle('bad', Boolean(problem) || over);
	counter.textContent = `${integer.format(length)} / ${integer.format(MAX_TEXT)}`;
	counter.classList.toggle('bad', over);
	counter.classList.toggle('near', !over && length > MAX_TEXT * 0.9);
	counter.title = `${integer.format(length)} of at most ${integer.format(MAX_TEXT)} characters`;
}

function autosize() {
	textInput.style.height = 'auto';
	textInput.style.height = `${Math.min(textInput.scrollHeight + 2, 220)}px`;
}

async function send() {
	if (sending) return;
	const author = currentName();
	const text = textInput.value;
	const trimmed = text.trim();
	const problem = nameProblem();
	if (problem) {
		showText(sendError, problem);
		return;
	}
	if (!trimmed) return;
	const length = codePoints(trimmed);
	if (length > MAX_TEXT) {
		showText(sendError, `Your message is ${integer.format(length)} characters; at most ${integer.format(MAX_TEXT)} are allowed.`);
		return;
	}
	const target = session;
	const what = JSON.stringify([target.room, author, trimmed]);
	if (!pending || pending.what !== what) {
		pending = { what, clientMessageId: newClientMessageId() };
	}
	const post = { room: target.room, author, text, clientMessageId: pending.clientMessageId };
	sending = true;
	showText(sendError, '');
	updateComposer();
	try {
		let message;
		for (let attempt = 0; ; attempt++) {
			try {
				message = await callFunction('postMessage', post);
				break;
			}
			catch (error) {
				// The same client message id each time: if the first post was stored and only
				// its answer was lost, the app answers with that message rather than a copy.
				if (!isTransient(error) || attempt >= SEND_RETRY_MS.length || target.closed) throw error;
				await sleep(SEND_RETRY_MS[attempt]);
			}
		}
		pending = null;
		if (textInput.value === text) {
			textInput.value = '';
			autosize();
		}
		if (isMessage(message) && !target.closed) target.add([message], { own: true });
	}
	catch (error) {
		showText(sendError, `Not sent: ${errorText(error)}${isTransient(error) ? ' Press Enter to try again.' : ''}`);
	}
	finally {
		sending = false;
		updateComposer();
		if (!textInput.disabled) textInput.focus();
	}
}

textInput.addEventListener('keydown', (event) => {
	if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
		event.preventDefault();
		send();
	}
});

textInput.addEventListener('input', () => {
	autosize();
	updateComposer();
	if (!sendError.hidden && !sending) showText(sendError, '');
});

composer.addEventListener('submit', (event) => {
	event.preventDefault();
	send();
});

// ---------------------------------------------------------------- settings

function join(room) {
	if (session && session.room === room && !session.closed) return;
	if (session) session.close();
	pending = null;
	showText(sendError, '');
	roomInput.value = room;
	roomNameEl.textContent = room;
	shareLink.href = `/chat?room=${encodeURIComponent(room)}`;
	shareRoom.textContent = `#${room}`;
	list.setAttribute('aria-label', `Messages in #${room}`);
	document.title = `#${room} — Skyfold chat`;
	loadingEl.textContent = 'Loading the room’s history…';
	loadingEl.classList.remove('bad');
	session = new RoomSession(room);
	session.start();
}

function switchRoom(refocus = true) {
	const room = normalizeRoom(roomInput.value);
	if (!ROOM_PATTERN.test(room)) {
		setRoomHint(room
			? 'A room name is 1 to 64 lower-case letters, digits and dashes.'
			: 'Name a room, such as general.');
		if (refocus) roomInput.focus();
		return false;
	}
	setRoomHint('');
	if (room !== session.room) {
		const url = new URL(location.href);
		url.searchParams.set('room', room);
		history.replaceState(null, '', url);
		join(room);
		announce(`Joined #${room}`);
	}
	roomInput.value = room;
	return true;
}

settingsForm.addEventListener('submit', (event) => {
	event.preventDefault();
	if (switchRoom() && !textInput.disabled) textInput.focus();
});

roomInput.addEventListener('change', () => {
	switchRoom(false);
});

roomInput.addEventListener('input', () => {
	if (roomHint.classList.contains('bad')) setRoomHint('');
});

earlierButton.addEventListener('click', () => session.loadEarlier());

window.addEventListener('online', () => session.nudge());
document.addEventListener('visibilitychange', () => {
	if (document.visibilityState === 'visible') session.nudge();
});

// ---------------------------------------------------------------- start

const start = roomFromUrl();
setRoomHint(start.problem);
updateComposer();
join(start.room);
signedIn().then((who) => {
	me = who;
	// A viewer reads the room; the composer is for those who may post.
	composer.hidden = !mayAct(me, 'member');
	readOnly.hidden = !composer.hidden;
	for (const { el } of session.messages.values()) markOwn(el);
	updateComposer();
}, () => {
	// Not signed in: signedIn() has sent the page to sign in.
});
