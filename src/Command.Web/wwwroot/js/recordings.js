// A session's recordings and its publicity gate, in the session cards and the incident view; replay in a dialog with hls.js.
// Recordings are fetched when a session's snapshot changes and kept up to date by the hub's RecordingChanged; both leave
// out the chapters (a long session has thousands), giving their count: the replay fetches them when it opens.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { act, badge, toast, venueName } from './ui.js';

const held = new Map(); // session id → { version, list }
const loading = new Set();
const subscribed = new Set();
const waiting = new Set(); // sessions shown before the hub was handed over
let connection = null;
let hls = null;
let showing = null; // the recording the replay dialog shows, so chapters that arrive for another one are dropped

export function initRecordings(hub) {
  connection = hub;
  hub.on('RecordingChanged', (c) => {
    const entry = held.get(c.recording.sessionId);
    if (!entry) return;
    const at = entry.list.findIndex((r) => r.id === c.recording.id);
    if (at >= 0 && (entry.list[at].version ?? 0) >= c.recording.version) return;
    if (c.recording.status === 'expired') entry.list = entry.list.filter((r) => r.id !== c.recording.id);
    else entry.list = at >= 0 ? entry.list.with(at, c.recording) : [...entry.list, c.recording];
    fill(c.recording.sessionId);
  });
  // Groups do not survive a reconnect: sessions are subscribed again when next shown.
  hub.onreconnected(() => { subscribed.clear(); held.clear(); });
  // The first sessions are drawn before the hub is handed over here: subscribe them now, and fetch their
  // recordings again, since a change made before the subscription was not pushed.
  for (const sessionId of waiting) subscribe(sessionId, true);
  waiting.clear();
}

function subscribe(sessionId, reload = false) {
  if (subscribed.has(sessionId)) return;
  if (!connection) {
    waiting.add(sessionId);
    return;
  }
  subscribed.add(sessionId);
  connection.invoke('SubscribeSession', sessionId)
    .then(() => reload && refetch(sessionId))
    .catch(() => subscribed.delete(sessionId));
}

// Fetches a session's recordings again, keeping any newer one the hub pushed meanwhile.
async function refetch(sessionId) {
  try {
    const fetched = await api(`/api/sessions/${sessionId}/recordings?chapters=false`);
    const entry = held.get(sessionId);
    const pushed = new Map((entry?.list ?? []).map((r) => [r.id, r]));
    const list = fetched.map((r) => ((pushed.get(r.id)?.version ?? -1) > r.version ? pushed.get(r.id) : r));
    held.set(sessionId, { version: entry?.version ?? 0, list });
    fill(sessionId);
  } catch {
    // What is shown stays; the next change of the session loads the list again.
  }
}

async function load(session) {
  if (loading.has(session.id)) return;
  loading.add(session.id);
  try {
    held.set(session.id, { version: session.version, list: await api(`/api/sessions/${session.id}/recordings?chapters=false`) });
    fill(session.id);
  } catch {
    // What was held stays shown; the next change of the session tries again, not every re-render meanwhile.
    held.set(session.id, { version: session.version, list: held.get(session.id)?.list ?? [] });
  } finally {
    loading.delete(session.id);
  }
}

function fill(sessionId) {
  for (const el of document.querySelectorAll(`.recordings[data-recordings="${CSS.escape(sessionId)}"]`)) {
    replace(el, recordingItems(held.get(sessionId)?.list ?? []));
  }
}

function length(seconds) {
  const s = Math.max(0, Math.round(seconds ?? 0));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

function recordingItems(list) {
  const rows = list.map((r) => h('li', { dataset: { recording: r.id, status: r.status } },
    h('time', { datetime: r.startedAt }, formatDateTime(r.startedAt)), ' ',
    h('span', { class: 'rec-length' }, length(r.durationSeconds)), ' ',
    badge('rec', r.status, t(`recording.${r.status}`)),
    r.status === 'paused' && r.alarm && h('strong', { class: 'rec-alarm', role: 'alert' }, `⚠ ${t('recording.lowDisk')}`, h('small', {}, ` (${r.alarm})`)),
    ' ', h('button', { type: 'button', dataset: { action: 'replay' }, onclick: () => openReplay(r) }, t('recording.replay'))));
  return [h('small', {}, t('recording.title')), rows.length ? h('ul', {}, rows) : h('p', { class: 'empty' }, t('recording.none'))];
}

// The block for one session: its recordings (from what is held, refreshed when the session changed) and its publicity gate.
export function recordingsBlock(session) {
  subscribe(session.id);
  const entry = held.get(session.id);
  if (!entry || entry.version < session.version) load(session);
  return h('div', { class: 'recordings-block' },
    publicityControls(session),
    h('div', { class: 'recordings', dataset: { recordings: session.id } }, recordingItems(entry?.list ?? [])));
}

function publicityControls(session) {
  const publish = (approved) => act(`/api/sessions/${session.id}/publish`, { approved });
  const button = (action, approved, key, cls) =>
    h('button', { type: 'button', class: cls, dataset: { action }, onclick: () => publish(approved) }, t(key));
  if (session.publicity === 'requested') {
    return h('div', { class: 'publicity publicity-requested' },
      badge('pub', 'requested', t('pubgate.requested')), ' ',
      button('publish-approve', true, 'pubgate.approve'), ' ',
      button('publish-refuse', false, 'pubgate.refuse', 'danger'));
  }
  if (session.publicity === 'approved') {
    return h('div', { class: 'publicity publicity-approved' },
      badge('pub', 'approved', t('pubgate.approved')), ' ',
      button('publish-withdraw', false, 'pubgate.withdraw', 'danger'));
  }
  if (session.publicity === 'refused') {
    return h('div', { class: 'publicity publicity-refused' }, badge('pub', 'refused', t('pubgate.refused')));
  }
  return null;
}

// hls.js is loaded on the first replay only; the dashboard does not need it otherwise.
let hlsScript = null;
function loadHls() {
  hlsScript ??= new Promise((resolve, reject) => {
    const script = h('script', { src: '/lib/hls/hls.min.js' });
    script.onload = resolve;
    script.onerror = () => { hlsScript = null; reject(new Error(t('recording.playError'))); };
    document.head.append(script);
  });
  return hlsScript;
}

function dialog() {
  let el = document.getElementById('replay');
  if (el) return el;
  el = h('dialog', { id: 'replay', class: 'replay' },
    h('header', {}, h('h3', { class: 'replay-title' }), h('button', { type: 'button', class: 'link', dataset: { action: 'close-replay' } }, t('recording.close'))),
    h('video', { controls: true, playsinline: true }),
    h('p', { class: 'replay-error', role: 'status' }),
    h('ol', { class: 'chapters' }));
  el.querySelector('[data-action=close-replay]').addEventListener('click', () => el.close());
  el.addEventListener('close', () => {
    showing = null;
    stop();
  });
  document.body.append(el);
  return el;
}

function stop() {
  hls?.destroy();
  hls = null;
  const video = document.querySelector('#replay video');
  if (video) {
    video.removeAttribute('src');
    video.load();
  }
}

// What went on screen and why: the venue (or camera) broadcast, then the floor action.
function chapterName(c) {
  const action = t(`ta.${c.action}`) === `ta.${c.action}` ? c.action : t(`ta.${c.action}`);
  const who = c.venueId ? venueName(c.venueId) : c.feedId ? `${t('feed')} ${c.feedId}` : null;
  return who ? `${who} · ${action}` : action;
}

function showChapters(el, chapters) {
  const video = el.querySelector('video');
  replace(el.querySelector('.chapters'), chapters.map((c) => h('li', {},
    h('button', { type: 'button', class: 'link', dataset: { offset: c.offsetSeconds }, onclick: () => { video.currentTime = c.offsetSeconds; video.play().catch(() => {}); } },
      `${length(c.offsetSeconds)} · ${chapterName(c)}`), h('small', {}, ` ${c.actor}`))));
}

// The recording with all its chapters (what is held has their count only), also kept as the held copy unless a newer one was pushed meanwhile.
async function loadChapters(el, recording) {
  let full;
  try {
    full = await api(`/api/recordings/${recording.id}`);
  } catch {
    if (showing === recording.id && el.open) toast(t('recording.chaptersError'));
    return;
  }
  const entry = held.get(full.sessionId);
  const at = entry ? entry.list.findIndex((r) => r.id === full.id) : -1;
  if (at >= 0 && (entry.list[at].version ?? 0) <= full.version) entry.list = entry.list.with(at, full);
  if (showing === recording.id && el.open) showChapters(el, full.chapters ?? []);
}

async function openReplay(recording) {
  const el = dialog();
  const video = el.querySelector('video');
  stop();
  showing = recording.id;
  el.querySelector('.replay-title').textContent = `${recording.title} · ${formatDateTime(recording.startedAt)}`;
  el.querySelector('[data-action=close-replay]').textContent = t('recording.close');
  el.querySelector('.replay-error').textContent = '';
  showChapters(el, recording.chapters ?? []);
  if (!el.open) el.showModal();
  // Started within the click, so the browser lets it play; the source is attached when it is ready.
  video.play().catch(() => {});
  loadChapters(el, recording);
  try {
    await loadHls();
  } catch (e) {
    toast(e.message);
    return;
  }
  if (window.Hls?.isSupported()) {
    // No worker: the content security policy allows scripts from this site only, not from blob: URLs.
    hls = new window.Hls({ enableWorker: false });
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      if (data.fatal) el.querySelector('.replay-error').textContent = t('recording.playError');
    });
    hls.loadSource(recording.hls);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = recording.hls;
  } else {
    el.querySelector('.replay-error').textContent = t('recording.unsupported');
    return;
  }
  video.play().catch(() => {});
}
