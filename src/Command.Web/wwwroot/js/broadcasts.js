// The public page (网上直播): approved public sessions, live ones first, then the archive, played with hls.js.
// It needs no sign-in: everything comes from /api/public/broadcasts, which shows only what was approved.
import { applyTo, formatDateTime, t, toggle } from './i18n.js';

const REFRESH_MS = 15000;
let broadcasts = [];
let hls = null;
let playing = null;

const $ = (id) => document.getElementById(id);

function when(b) {
  return b.state === 'live'
    ? `${t('pub.since')} ${formatDateTime(b.startedAt)}`
    : `${formatDateTime(b.startedAt)} – ${formatDateTime(b.endedAt)}`;
}

function item(b) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.sessionId = b.sessionId;
  const title = document.createElement('span');
  title.className = 'title';
  title.textContent = b.title;
  const time = document.createElement('span');
  time.className = 'when';
  time.textContent = when(b);
  button.append(title, time);
  button.addEventListener('click', () => play(b));
  li.append(button);
  return li;
}

function clock(seconds) {
  const s = Math.max(0, Math.round(seconds ?? 0));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

function actionName(action) {
  const text = t(`ta.${action}`);
  return text === `ta.${action}` ? action : text;
}

// The playing broadcast's chapters: each names who went on screen and seeks to that moment of the recording.
function showChapters(b) {
  const chapters = b?.chapters ?? [];
  $('chapters-title').hidden = chapters.length === 0;
  $('chapters').replaceChildren(...chapters.map((c) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.dataset.offset = c.offsetSeconds;
    button.textContent = `${clock(c.offsetSeconds)} · ${c.name ?? '—'} · ${actionName(c.action)}`;
    button.addEventListener('click', () => {
      const video = $('player');
      video.currentTime = c.offsetSeconds;
      video.play().catch(() => {});
    });
    li.append(button);
    return li;
  }));
}

function matches(b, query) {
  if (!query) return true;
  const q = query.trim().toLowerCase();
  return b.title.toLowerCase().includes(q) || formatDateTime(b.startedAt).includes(q) || (b.startedAt ?? '').includes(q);
}

function render() {
  const live = broadcasts.filter((b) => b.state === 'live');
  const query = $('search').value;
  const archive = broadcasts.filter((b) => b.state !== 'live' && matches(b, query));
  $('live-list').replaceChildren(...live.map(item));
  $('archive-list').replaceChildren(...archive.map(item));
  $('live-none').hidden = live.length > 0;
  $('archive-none').hidden = archive.length > 0;
  const current = playing && broadcasts.find((b) => b.sessionId === playing.sessionId);
  if (playing && !current) stop();
  else if (current) showChapters(current);
}

async function refresh() {
  try {
    const response = await fetch('/api/public/broadcasts', { credentials: 'omit' });
    if (response.ok) broadcasts = await response.json();
  } catch {
    // Offline for a moment: keep the list shown and try again on the next refresh.
  }
  render();
}

function stop() {
  hls?.destroy();
  hls = null;
  playing = null;
  const video = $('player');
  video.removeAttribute('src');
  video.load();
  $('player-card').hidden = true;
  showChapters(null);
}

function play(b) {
  stop();
  playing = b;
  const video = $('player');
  $('player-card').hidden = false;
  $('playing-title').textContent = b.title;
  $('player-error').textContent = '';
  showChapters(b);
  if (window.Hls?.isSupported()) {
    // No worker: the page's content security policy allows scripts from this site only, not from blob: URLs.
    // Live: 3 s behind the newest segment whatever the segment length, rather than hls.js's three segments
    // (6-9 s with 2 s segments); with 1 s segments that is three segments of buffer and about 4 s glass to glass.
    hls = new window.Hls({ enableWorker: false, liveSyncDuration: 3, liveMaxLatencyDuration: 10 });
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      if (data.fatal) $('player-error').textContent = t('pub.playError');
    });
    hls.loadSource(b.hls);
    hls.attachMedia(video);
  } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = b.hls;
  } else {
    $('player-error').textContent = t('pub.unsupported');
    return;
  }
  video.play().catch(() => {});
}

applyTo();
$('lang').addEventListener('click', () => { toggle(); document.title = t('pub.title'); render(); });
$('search').addEventListener('input', render);
document.title = t('pub.title');
await refresh();
setInterval(refresh, REFRESH_MS);
