// Skyfold — image resizer: the page served at / by the local app.
//
// Uploads files to the local bucket (PUT /objects/uploads/<name>), whose object-created
// notification runs resizeImage before the reply comes back; shows each original beside
// the thumbnail it got under resized/. Lists the bucket on load and polls it, so objects
// that other clients upload appear too. A viewer sees the gallery; uploading needs the
// member role, running resizeImage again the admin role. Plain ES module, no dependencies,
// works offline.
//
// Everything that comes from the server or the user (keys, file names, reasons, problem
// details) is put in the page as text, never as HTML.

import {
	$, announce, callFunction, csrfHeaders, fetchJson, h, HttpError, integer, mayAct, NETWORK_ERROR, problemFrom,
	problemLine, readProblem, showHealth, showText, signedIn,
} from './common.js';

const UPLOADS = 'uploads/';
const RESIZED = 'resized/';
const CONCURRENCY = 2;
const POLL_MS = 4000;
const HEALTH_MS = 10000;

const cardsEl = $('cards');
const emptyEl = $('empty');
const summaryEl = $('summary');
const noticeEl = $('notice');
const healthEl = $('health');
const picker = $('picker');
const dropzone = $('dropzone');

/** The signed-in caller, { name, role }, once known. */
let me = null;

/** Cards by object key (uploads/…). */
const cards = new Map();
/** Upload jobs not started yet, in order. */
const queue = [];
/** Keys being uploaded right now. */
const inFlight = new Set();
let bucketName = 'skyfold';
let listedOnce = false;

// ---------------------------------------------------------------- helpers

/** The URL of an object: each key segment encoded, '/' kept between them. */
function objectUrl(key, version) {
	const path = key.split('/').map(encodeURIComponent).join('/');
	return `/objects/${path}${version ? `?v=${encodeURIComponent(version)}` : ''}`;
}

const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

function formatBytes(n) {
	if (n == null || Number.isNaN(n)) return 'unknown';
	if (n < 1024) return `${integer.format(n)} ${n === 1 ? 'byte' : 'bytes'}`;
	const units = ['KB', 'MB', 'GB'];
	let value = n / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${decimal.format(value)} ${units[unit]} (${integer.format(n)} bytes)`;
}

const formatMs = (ms) => `${integer.format(Math.round(ms))} ms`;
const formatDims = (w, h) => `${integer.format(w)} × ${integer.format(h)} px`;
const toTime = (iso) => {
	const t = Date.parse(iso);
	return Number.isNaN(t) ? 0 : t;
};
const isImageType = (type) => typeof type === 'string' && type.toLowerCase().startsWith('image/');

// ---------------------------------------------------------------- cards

class Card {
	constructor(key) {
		this.key = key;
		this.generation = 0;
		this.objectUrl = null; // blob: URL of the local file, if any
		this.known = null; // the stored object's info, as far as we know it
		this.thumbShown = null; // the written thumbnail's info, when one is shown
		this.busy = false; // queued or uploading

		const name = key.startsWith(UPLOADS) ? key.slice(UPLOADS.length) : key;
		const titleId = `card-${Math.random().toString(36).slice(2)}`;
		this.badge = h('span', { class: 'badge' });
		this.origFrame = h('div', { class: 'frame checker' });
		this.origStats = h('dl', { class: 'stats' });
		this.thumbFrame = h('div', { class: 'frame checker' });
		this.thumbStats = h('dl', { class: 'stats' });
		this.message = h('p', { class: 'message', hidden: true });
		this.actions = h('div', { class: 'actions', hidden: true });
		this.timing = h('p', {
			class: 'timing',
			hidden: true,
			title: 'resizeImage’s own time as the server measured it; the round trip as this browser measured it',
		});
		this.progress = h('progress', { class: 'progress', max: 100, hidden: true, 'aria-label': `Upload of ${name}` });

		this.el = h('li', { class: 'card' },
			h('article', { 'aria-labelledby': titleId },
				h('header', { class: 'card-head' },
					h('div', { class: 'card-names' },
						h('h3', { class: 'card-title', id: titleId, text: name }),
						h('p', { class: 'card-key' }, h('code', { text: key }))),
					this.badge),
				h('div', { class: 'pair' },
					h('figure', { class: 'side' },
						this.origFrame,
						h('figcaption', {}, h('span', { class: 'side-label', text: 'Original' }), this.origStats)),
					h('figure', { class: 'side' },
						this.thumbFrame,
						h('figcaption', {}, h('span', { class: 'side-label', text: 'Thumbnail' }), this.thumbStats))),
				this.message,
				this.actions,
				this.timing,
				this.progress));
	}

	setState(state, label) {
		this.el.dataset.state = state;
		this.badge.textContent = label;
	}

	/** Tells screen-reader users how an upload or a rerun ended. */
	announce() {
		const name = this.el.querySelector('.card-title').textContent;
		const message = this.message.hidden ? '' : `: ${this.message.textContent}`;
		announce(`${name} ${this.badge.textContent}${message}`);
	}

	setMessage(kind, lead, text) {
		this.message.replaceChildren();
		if (!kind) {
			this.message.hidden = true;
			return;
		}
		this.message.className = `message ${kind}`;
		if (lead) this.message.append(h('strong', { text: lead }), ' ');
		if (text) this.message.append(text);
		this.message.hidden = false;
	}

	setTiming(parts) {
		const list = parts.filter(Boolean);
		this.timing.textContent = list.join(' · ');
		this.timing.hidden = list.length === 0;
	}

	setActions(...buttons) {
		this.actions.replaceChildren(...buttons);
		this.actions.hidden = buttons.length === 0;
	}

	static stats(dl, rows) {
		dl.replaceChildren();
		for (const [term, value, cls] of rows) {
			if (value == null) continue;
			dl.append(h('div', { class: cls || null }, h('dt', { text: term }), h('dd', { text: value })));
		}
	}

	releaseLocal() {
		if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
		this.objectUrl = null;
	}

	/** Shows a file from this browser as the original. */
	showLocalOriginal(file) {
		this.releaseLocal();
		this.objectUrl = URL.createObjectURL(file);
		this.origFile = file;
		this.showOriginalImage(this.objectUrl, file.type || 'unknown type', file.size, file.type === '' || isImageType(file.type));
	}

	/** Shows the stored object as the original. */
	showRemoteOriginal(info) {
		this.releaseLocal();
		this.origFile = null;
		this.showOriginalImage(objectUrl(info.key, info.lastModified), info.contentType, info.size, isImageType(info.contentType));
	}

	showOriginalImage(src, type, size, tryImage) {
		const rows = [['Dimensions', '…'], ['Size', formatBytes(size)], ['Type', type]];
		Card.stats(this.origStats, rows);
		if (!tryImage) {
			this.origFrame.replaceChildren(placeholder('doc', 'No preview', type));
			Card.stats(this.origStats, [['Dimensions', 'not an image'], ...rows.slice(1)]);
			return;
		}
		const img = h('img', { alt: `Original: ${this.key}`, decoding: 'async', loading: 'lazy' });
		img.addEventListener('load', () => {
			this.origDims = [img.naturalWidth, img.naturalHeight];
			Card.stats(this.origStats, [['Dimensions', formatDims(img.naturalWidth, img.naturalHeight)], ...rows.slice(1)]);
		});
		img.addEventListener('error', () => {
			this.origFrame.replaceChildren(placeholder('doc', 'No preview', `this browser cannot display ${type}`));
			const server = this.sourceDims;
			Card.stats(this.origStats, [['Dimensions', server ? `${formatDims(...server)} (read by the server)` : 'unknown'], ...rows.slice(1)]);
		});
		img.src = src;
		this.origFrame.replaceChildren(img);
	}

	showThumbPending(text) {
		this.thumbShown = null;
		this.thumbFrame.replaceChildren(placeholder('spin', text));
		Card.stats(this.thumbStats, []);
	}

	showNoThumb(text, detail) {
		this.thumbShown = null;
		this.thumbFrame.replaceChildren(placeholder('none', text, detail));
		Card.stats(this.thumbStats, []);
	}

	/** Shows a thumbnail that the bucket holds; written = {key, contentType, size, width?, height?}. */
	showThumb(written, version) {
		this.thumbShown = { ...written, version };
		const src = objectUrl(written.key, version);
		const original = this.known?.size ?? this.origFile?.size;
		const share = original ? `${decimal.format((100 * written.size) / original)} % of the original’s size` : null;
		const rows = (dims) => [
			['Dimensions', dims],
			['Size', formatBytes(written.size)],
			['Type', written.contentType],
			['Ratio', share],
		];
		Card.stats(this.thumbStats, rows(written.width ? formatDims(written.width, written.height) : '…'));
		const img = h('img', { alt: `Thumbnail of ${this.key}`, loading: 'lazy', class: 'thumb' });
		img.addEventListener('load', () => {
			if (!written.width) Card.stats(this.thumbStats, rows(formatDims(img.naturalWidth, img.naturalHeight)));
		});
		img.addEventListener('error', async () => {
			let why = 'this browser cannot display it';
			try {
				const response = await fetch(src, { cache: 'no-store' });
				if (!response.ok) why = problemLine(await readProblem(response));
			}
			catch {
				why = NETWORK_ERROR;
			}
			this.thumbFrame.replaceChildren(placeholder('none', 'Thumbnail not shown', why));
		});
		img.src = src;
		this.thumbFrame.replaceChildren(img);
	}

	remove() {
		this.releaseLocal();
		this.el.remove();
	}
}

function placeholder(kind, text, detail) {
	return h('div', { class: `placeholder ${kind}` },
		kind === 'spin' ? h('span', { class: 'spinner', 'aria-hidden': 'true' }) : null,
		h('span', { class: 'placeholder-text', text }),
		detail ? h('span', { class: 'placeholder-detail', text: detail }) : null);
}

function cardFor(key) {
	let card = cards.get(key);
	if (!card) {
		card = new Card(key);
		cards.set(key, card);
	}
	return card;
}

/** Puts cards at the top of the list, in the order given. */
function prependCards(list) {
	if (list.length === 0) return;
	const fragment = document.createDocumentFragment();
	for (const card of list) fragment.append(card.el);
	cardsEl.prepend(fragment);
	updateSummary();
}

// ---------------------------------------------------------------- what the bucket says

/** Shows an object found in the bucket listing; resized is its thumbnail's listing entry, if any. */
function showListed(card, info, resized) {
	card.generation++;
	card.known = info;
	card.sourceDims = null;
	card.showRemoteOriginal(info);
	card.setTiming([`Stored ${timeFormat.format(new Date(info.lastModified))}`]);
	card.progress.hidden = true;
	if (resized && toTime(resized.lastModified) >= toTime(info.lastModified)) {
		card.setState('resized', 'resized');
		card.setMessage(null);
		card.setActions();
		card.showThumb({ key: resized.key, contentType: resized.contentType, size: resized.size }, resized.lastModified);
	}
	else {
		showNoThumbYet(card, resized);
	}
}

function showNoThumbYet(card, stale) {
	card.setState('none', 'no thumbnail');
	if (stale) {
		card.showNoThumb('No current thumbnail', 'the one under resized/ is older than this object');
	}
	else {
		card.showNoThumb('No thumbnail', `nothing under ${RESIZED}`);
	}
	card.setMessage('info', 'No thumbnail yet.',
		isImageType(card.known?.contentType)
			? 'resizeImage has not written one, skipped this object, or failed on it; the bucket does not record which. One will appear here if it is written.'
			: `This object is stored as ${card.known?.contentType || 'an unknown type'}, which resizeImage normally skips. The bucket does not record the reason.`);
	// Invoking resizeImage directly is for admins.
	card.setActions(mayAct(me, 'admin') && h('button', {
		type: 'button',
		class: 'button small',
		text: 'Ask resizeImage again',
		onclick: () => rerun(card),
	}));
}

/** Runs resizeImage on a stored object (POST /fn/resizeImage), to learn why it has no thumbnail. */
async function rerun(card) {
	const generation = ++card.generation;
	card.setActions();
	card.setState('resizing', 'resizing…');
	card.showThumbPending('Running resizeImage…');
	card.setMessage(null);
	const started = performance.now();
	try {
		const result = await callFunction('resizeImage', { bucket: bucketName, key: card.key });
		if (generation !== card.generation) return;
		showResult(card, result, null, performance.now() - started);
	}
	catch (e) {
		if (generation !== card.generation) return;
		if (e instanceof HttpError) {
			showProblem(card, 'resizeImage failed:', e.problem, performance.now() - started);
			return;
		}
		card.setState('error', 'error');
		card.showNoThumb('No thumbnail');
		card.setMessage('error', 'Network error.', NETWORK_ERROR);
	}
	finally {
		if (generation === card.generation) card.announce();
	}
}

/** Shows what resizeImage did: a ResizeResult, from an upload's notification or a rerun. */
function showResult(card, result, version, totalMs) {
	const round = totalMs != null ? `round trip ${formatMs(totalMs)}` : null;
	if (result.sourceWidth && result.sourceHeight) card.sourceDims = [result.sourceWidth, result.sourceHeight];
	if (result.outcome === 'RESIZED') {
		const want = RESIZED + card.key;
		const written = (result.written || []).find((w) => w.key === want) || (result.written || [])[0];
		card.setState('resized', 'resized');
		card.setMessage(null);
		card.setActions();
		if (written) {
			card.showThumb(written, version || `${Date.now()}`);
		}
		else {
			card.showNoThumb('No thumbnail', 'resizeImage reported none written');
		}
		card.setTiming([`resized in ${formatMs(result.millis)}`, round]);
	}
	else if (result.outcome === 'SKIPPED') {
		card.setState('skipped', 'skipped');
		card.showNoThumb('No thumbnail', 'skipped by resizeImage');
		card.setMessage('warn', 'Skipped:', result.reason || 'resizeImage gave no reason.');
		card.setActions();
		card.setTiming([result.millis ? `checked in ${formatMs(result.millis)}` : null, round]);
	}
	else {
		card.setState('error', 'unexpected');
		card.showNoThumb('No thumbnail');
		card.setMessage('error', 'Unexpected answer:', `resizeImage reported the outcome ${String(result.outcome)}.`);
		card.setTiming([round]);
	}
}

function showProblem(card, lead, p, totalMs) {
	card.setState('error', 'failed');
	card.showNoThumb('No thumbnail', 'resizeImage failed');
	card.setMessage('error', lead, `${p.title || 'Error'}${p.status ? ` (${p.status})` : ''}${p.detail ? ` — ${p.detail}` : ''}`);
	card.setActions();
	card.setTiming([totalMs != null ? `round trip ${formatMs(totalMs)}` : null]);
}

// ---------------------------------------------------------------- uploads

function enqueue(files) {
	const fresh = [];
	for (const file of files) {
		const key = UPLOADS + file.name;
		const card = cardFor(key);
		card.generation++;
		card.busy = true;
		card.known = null;
		card.sourceDims = null;
		// A newer pick of the same name replaces a waiting one.
		const waiting = queue.findIndex((job) => job.key === key);
		if (waiting >= 0) queue.splice(waiting, 1);
		queue.push({ key, file, card, generation: card.generation });
		card.showLocalOriginal(file);
		card.setState('waiting', 'waiting…');
		card.showThumbPending('Waiting to upload…');
		card.setMessage(null);
		card.setActions();
		card.setTiming([]);
		card.progress.hidden = true;
		fresh.push(card);
	}
	prependCards(fresh);
	pump();
}

function pump() {
	while (inFlight.size < CONCURRENCY) {
		const index = queue.findIndex((job) => !inFlight.has(job.key));
		if (index < 0) break;
		const [job] = queue.splice(index, 1);
		inFlight.add(job.key);
		upload(job).finally(() => {
			inFlight.delete(job.key);
			if (job.card.generation === job.generation) {
				job.card.busy = queue.some((j) => j.key === job.key);
				job.card.announce();
			}
			updateSummary();
			pump();
			if (queue.length === 0 && inFlight.size === 0) schedulePoll(300);
		});
	}
	updateSummary();
}

/** PUTs a file with XMLHttpRequest, which reports upload progress (fetch does not). */
function put(key, file, onProgress, onSent) {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('PUT', objectUrl(key));
		// An empty type sends no Content-Type, and the server guesses one from the name.
		if (file.type) xhr.setRequestHeader('Content-Type', file.type);
		xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
		for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
		xhr.upload.addEventListener('progress', (e) => {
			if (e.lengthComputable) onProgress(e.loaded / e.total);
		});
		xhr.upload.addEventListener('load', onSent);
		xhr.addEventListener('load', () => resolve(xhr));
		xhr.addEventListener('error', () => reject(new Error('network')));
		xhr.addEventListener('abort', () => reject(new Error('aborted')));
		xhr.addEventListener('timeout', () => reject(new Error('timeout')));
		xhr.send(file);
	});
}

async function upload(job) {
	const { card, file, key, generation } = job;
	const current = () => card.generation === generation;
	if (!current()) return;
	card.setState('uploading', 'uploading…');
	card.showThumbPending('Uploading…');
	card.progress.hidden = false;
	card.progress.value = 0;
	const started = performance.now();
	let xhr;
	try {
		xhr = await put(key, file,
			(fraction) => {
				if (!current()) return;
				card.progress.value = Math.round(fraction * 100);
				card.badge.textContent = `uploading… ${Math.round(fraction * 100)} %`;
			},
			() => {
				if (!current()) return;
				card.progress.hidden = true;
				card.setState('resizing', 'resizing…');
				card.showThumbPending('resizeImage is running…');
			});
	}
	catch (e) {
		if (!current()) return;
		card.progress.hidden = true;
		card.setState('error', 'not uploaded');
		card.showNoThumb('No thumbnail', 'the upload did not reach the bucket');
		card.setMessage('error', 'Upload failed:', e.message === 'timeout' ? 'the app took too long to answer.' : NETWORK_ERROR);
		card.setTiming([`gave up after ${formatMs(performance.now() - started)}`]);
		offerRetry(card, file);
		return;
	}
	const total = performance.now() - started;
	if (!current()) return;
	card.progress.hidden = true;
	if (xhr.status !== 201 && xhr.status !== 200) {
		const p = problemFrom(xhr.status, xhr.statusText, xhr.getResponseHeader('Content-Type'), xhr.responseText);
		const serverError = xhr.status >= 500;
		card.setState('error', 'not uploaded');
		card.showNoThumb('No thumbnail', serverError ? 'the upload failed' : 'the bucket refused the upload');
		card.setMessage('error', serverError ? 'Upload failed:' : 'Upload refused:',
			`${p.title} (${p.status})${p.detail ? ` — ${p.detail}` : ''}`);
		card.setTiming([`round trip ${formatMs(total)}`]);
		if (serverError) offerRetry(card, file);
		return;
	}
	let reply;
	try {
		reply = JSON.parse(xhr.responseText);
	}
	catch {
		card.setState('error', 'unexpected');
		card.showNoThumb('No thumbnail');
		card.setMessage('error', 'Unexpected answer:', 'the upload was answered with something other than JSON.');
		return;
	}
	if (reply.bucket) bucketName = reply.bucket;
	card.known = reply.object || null;
	const version = reply.object?.lastModified;
	const notification = reply.notification || {};
	if (notification.problem) {
		showProblem(card, `${notification.function || 'resizeImage'} failed:`, notification.problem, total);
	}
	else if (notification.result) {
		showResult(card, notification.result, version, total);
	}
	else {
		card.setState('none', 'no thumbnail');
		card.showNoThumb('No thumbnail', 'no function answered');
		card.setMessage('warn', 'Stored, but', 'no function reported on this object.');
		card.setTiming([`round trip ${formatMs(total)}`]);
	}
	updateOriginalStatsFromServer(card, reply.object);
}

function offerRetry(card, file) {
	card.setActions(h('button', {
		type: 'button',
		class: 'button small',
		text: 'Try again',
		onclick: () => enqueue([file]),
	}));
}

/** After an upload, the stored size and type are the server's, which may differ from the file's. */
function updateOriginalStatsFromServer(card, object) {
	if (!object) return;
	const dims = card.origDims && card.origFile && card.objectUrl ? formatDims(...card.origDims)
		: card.sourceDims ? `${formatDims(...card.sourceDims)} (read by the server)` : null;
	const rows = [['Dimensions', dims], ['Size', formatBytes(object.size)], ['Type', object.contentType]];
	if (dims) Card.stats(card.origStats, rows);
	else if (card.origFrame.querySelector('img')) {
		// the image is still loading; its load handler fills in the dimensions
	}
	else Card.stats(card.origStats, [['Dimensions', isImageType(object.contentType) ? 'unknown' : 'not an image'], ...rows.slice(1)]);
}

// ---------------------------------------------------------------- listing and polling

function list(prefix) {
	return fetchJson(`/objects?prefix=${encodeURIComponent(prefix)}`);
}

let pollTimer = 0;
let polling = false;
let lastListing = { uploads: 0, at: null, error: null };
let pollFailures = 0;

/** Polls every POLL_MS, backing off up to a minute while the app does not answer. */
function schedulePoll(delay = Math.min(60000, POLL_MS * 2 ** pollFailures)) {
	clearTimeout(pollTimer);
	pollTimer = setTimeout(poll, delay);
}

async function poll() {
	clearTimeout(pollTimer);
	if (polling) return;
	if (document.hidden && listedOnce) {
		schedulePoll();
		return;
	}
	polling = true;
	try {
		const [uploads, resized] = await Promise.all([list(UPLOADS), list(RESIZED + UPLOADS)]);
		if (uploads.bucket) bucketName = uploads.bucket;
		const thumbs = new Map(resized.objects.map((o) => [o.key.slice(RESIZED.length), o]));
		const added = [];
		for (const info of uploads.objects) {
			const thumb = thumbs.get(info.key);
			const card = cards.get(info.key);
			if (!card) {
				const fresh = cardFor(info.key);
				showListed(fresh, info, thumb);
				added.push([info, fresh]);
				continue;
			}
			if (card.busy || inFlight.has(info.key)) continue;
			if (card.known && card.known.lastModified !== info.lastModified) {
				// Someone stored a new version under this key.
				showListed(card, info, thumb);
				prependCards([card]);
				continue;
			}
			if (!card.known) continue; // an upload that failed; leave its message be
			if (!card.thumbShown && card.el.dataset.state !== 'skipped' && card.el.dataset.state !== 'error'
					&& thumb && toTime(thumb.lastModified) >= toTime(info.lastModified)) {
				// A thumbnail appeared since we looked.
				showListed(card, info, thumb);
			}
		}
		// Newest first, on the first listing and for objects that other clients add.
		added.sort((a, b) => toTime(b[0].lastModified) - toTime(a[0].lastModified) || a[0].key.localeCompare(b[0].key));
		if (listedOnce) prependCards(added.map(([, card]) => card));
		else {
			const fragment = document.createDocumentFragment();
			for (const [, card] of added) fragment.append(card.el);
			cardsEl.append(fragment);
		}
		listedOnce = true;
		lastListing = { uploads: uploads.objects.length, at: new Date(), error: null };
		pollFailures = 0;
	}
	catch (e) {
		lastListing = { ...lastListing, error: e instanceof TypeError ? 'the app could not be reached' : e.message };
		pollFailures = Math.min(pollFailures + 1, 4);
	}
	finally {
		polling = false;
		updateSummary();
		schedulePoll();
	}
}

function updateSummary() {
	const waiting = queue.length;
	const uploading = inFlight.size;
	const parts = [];
	if (listedOnce) parts.push(`${integer.format(lastListing.uploads)} ${lastListing.uploads === 1 ? 'object' : 'objects'} in the bucket`);
	if (uploading) parts.push(`${uploading} uploading`);
	if (waiting) parts.push(`${waiting} waiting`);
	if (lastListing.error) parts.push(`listing failed: ${lastListing.error}; retrying`);
	else if (lastListing.at) parts.push(`checked ${clockFormat.format(lastListing.at)}`);
	summaryEl.textContent = parts.join(' · ');
	summaryEl.classList.toggle('bad', Boolean(lastListing.error));
	emptyEl.hidden = !listedOnce || cards.size > 0;
}

// ---------------------------------------------------------------- health

async function checkHealth() {
	let state = 'down';
	let words;
	try {
		const response = await fetch('/actuator/health', { headers: { Accept: 'application/json' }, cache: 'no-store' });
		let status = null;
		try {
			status = (await response.json()).status;
		}
		catch {
			// not JSON
		}
		if (status === 'UP') {
			state = 'up';
			words = 'App is up';
		}
		else {
			words = status ? `App reports ${status}` : `Health check answered HTTP ${response.status}`;
		}
	}
	catch {
		words = 'App unreachable — retrying';
	}
	if (state === 'up' && healthEl.dataset.state === 'down' && pollFailures > 0) {
		// The app is back: list again now rather than after the back-off.
		pollFailures = 0;
		schedulePoll(0);
	}
	showHealth(healthEl, state, `${words} · bucket ${bucketName}`,
		`Checked ${clockFormat.format(new Date())} (GET /actuator/health)`);
	setTimeout(checkHealth, HEALTH_MS);
}

// ---------------------------------------------------------------- picking and dropping

picker.addEventListener('change', () => {
	showText(noticeEl, '');
	if (picker.files.length) enqueue([...picker.files]);
	picker.value = ''; // so the same file can be picked again
});

let dragDepth = 0;
const carriesFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');

window.addEventListener('dragenter', (e) => {
	if (!carriesFiles(e) || !mayAct(me, 'member')) return;
	e.preventDefault();
	dragDepth++;
	document.body.classList.add('dragging');
});
window.addEventListener('dragover', (e) => {
	if (!carriesFiles(e) || !mayAct(me, 'member')) return;
	e.preventDefault();
	e.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('dragleave', (e) => {
	if (!carriesFiles(e)) return;
	dragDepth = Math.max(0, dragDepth - 1);
	if (dragDepth === 0) document.body.classList.remove('dragging');
});
window.addEventListener('drop', (e) => {
	if (!carriesFiles(e) || !mayAct(me, 'member')) return;
	e.preventDefault();
	dragDepth = 0;
	document.body.classList.remove('dragging');
	const files = [];
	const folders = [];
	const items = [...(e.dataTransfer.items || [])];
	if (items.length) {
		for (const item of items) {
			if (item.kind !== 'file') continue;
			const entry = item.webkitGetAsEntry?.();
			const file = item.getAsFile();
			if (entry?.isDirectory) folders.push(entry.name);
			else if (file) files.push(file);
		}
	}
	else {
		files.push(...e.dataTransfer.files);
	}
	showText(noticeEl, folders.length
		? `Folders are not uploaded (${folders.join(', ')}): open them and drop or pick the files inside.`
		: '');
	if (files.length) enqueue(files);
});

// ---------------------------------------------------------------- start

document.addEventListener('visibilitychange', () => {
	if (!document.hidden) schedulePoll(0);
});

// ---------------------------------------------------------------- reconcile (admins)

const reconcileEl = $('reconcile');
const reconcileBar = $('reconcile-bar');
const reconcileStatus = $('reconcile-status');
const reconcileErrors = $('reconcile-errors');
const reconcileStart = $('reconcile-start');
const RECONCILE_POLL_MS = 500;

/** Shows a run's progress (GET /reconcile): done of total, the rate, and the errors in words. */
function showReconcile(progress) {
	const report = progress.report;
	const total = progress.total ?? 0;
	reconcileBar.max = Math.max(total, 1);
	reconcileBar.value = progress.running ? Math.min(report.checked, reconcileBar.max) : reconcileBar.max;
	const counts = `${integer.format(report.checked)} of ${progress.total == null ? '…' : integer.format(total)} objects checked`
		+ ` · ${integer.format(report.rendered)} rendered · ${integer.format(report.removed)} removed`
		+ ` · ${integer.format(report.failed)} failed · ${progress.perSecond} objects/s`;
	const state = progress.running ? 'Reconciling' : (progress.started ? 'Done' : 'Not run yet');
	showText(reconcileStatus, `${state}: ${counts}`);
	reconcileErrors.replaceChildren(...report.errors.map((error) => h('li', { text: error })));
	reconcileStart.disabled = progress.running;
}

async function followReconcile() {
	try {
		const progress = await fetchJson('/reconcile');
		showReconcile(progress);
		if (progress.running) setTimeout(followReconcile, RECONCILE_POLL_MS);
	}
	catch (error) {
		showText(reconcileStatus, error instanceof HttpError ? problemLine(error.problem) : NETWORK_ERROR);
		reconcileStart.disabled = false;
	}
}

reconcileStart.addEventListener('click', async () => {
	reconcileStart.disabled = true;
	try {
		await fetchJson('/reconcile', { method: 'POST' });
	}
	catch (error) {
		// 409: a run is under way already, which the progress shows.
		if (!(error instanceof HttpError && error.status === 409)) {
			showText(reconcileStatus, error instanceof HttpError ? problemLine(error.problem) : NETWORK_ERROR);
		}
	}
	followReconcile();
});

// ---------------------------------------------------------------- start (continued)

// Uploading waits until the page knows the caller may.
dropzone.hidden = true;
updateSummary();
checkHealth();
signedIn().then((who) => {
	me = who;
	dropzone.hidden = !mayAct(me, 'member');
	reconcileEl.hidden = !mayAct(me, 'admin');
	if (!reconcileEl.hidden) followReconcile();
	poll();
}, () => {
	// Not signed in: signedIn() has sent the page to sign in.
});
