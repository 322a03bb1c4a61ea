// The monitoring wall (画面监看): 1, 4, 9 or 16 tiles, each playing one source live over WHEP: a camera
// feed dragged from the feed list, or what a venue sends in its session, dragged from the venue tree or
// a session card. A tile shows the source's status and the bit rate it receives, reconnects by itself
// when its connection fails, and can broadcast its source. The feed list under the venue tree is kept
// here too: the hub carries no feed status, so it is polled.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { model, onChange } from './live.js';
import { release, watch, WhepError } from './whep.js';

// Tests may shorten these with window.commandWallTiming before the page loads.
const timing = {
  feedRefreshMs: 3000, statsMs: 1000, retryMs: 1000, retryMaxMs: 10000, notLiveRetryMs: 5000,
  connectTimeoutMs: 15000, disconnectedMs: 3000, gatherMs: 2000,
  ...(globalThis.commandWallTiming ?? {}),
};
const LAYOUTS = [1, 4, 9, 16];
const SOURCE = 'application/x-command-source';
const $ = (id) => document.getElementById(id);

const feeds = new Map();
const tiles = [];
let selectedSession = '';
let notify = () => {};

const enc = encodeURIComponent;
const liveSessions = () => [...model.sessions.values()].map((e) => e.value).filter((s) => s.state === 'live');

function sourceName(source) {
  if (!source) return '';
  return source.kind === 'feed' ? feeds.get(source.id)?.name ?? source.id : model.venues.get(source.id)?.value.name ?? source.id;
}

function badge(kind, value, label) {
  return h('span', { class: `badge ${kind}-${value}` }, label);
}

// A venue dragged from the tree plays in the wall's chosen session when it is joined there, else in any live
// session it is joined in, else in a live session it merely belongs to (the tile then says it is not live yet).
function sessionOfVenue(venueId) {
  const sessions = liveSessions();
  const chosen = sessions.find((s) => s.id === selectedSession);
  const joined = (s) => s.venues.some((p) => p.venueId === venueId && p.status === 'joined');
  const member = (s) => s.venues.some((p) => p.venueId === venueId);
  const pick = [chosen].filter(Boolean).concat(sessions);
  return (pick.find(joined) ?? pick.find(member))?.id;
}

// What a drop carries: only a camera or a venue with an id; anything else dropped on a tile is ignored.
function parseSource(data) {
  try {
    const s = JSON.parse(data);
    if ((s?.kind === 'feed' || s?.kind === 'venue') && typeof s.id === 'string' && s.id) return s;
  } catch {
    // Not one of ours.
  }
  return null;
}

class Tile {
  constructor(index) {
    this.index = index;
    this.source = null;
    this.generation = 0;
    this.attempt = 0;
    this.current = null;
    this.timers = new Set();
    this.stats = { bytes: 0, at: 0, kbps: 0, frames: 0, width: 0, height: 0 };
    this.state = 'idle';
    this.error = null;
    this.video = h('video', { autoplay: true, playsinline: true, muted: true });
    this.video.muted = true;
    this.name = h('span', { class: 'tile-name' });
    this.status = h('span', { class: 'tile-status' });
    this.rate = h('span', { class: 'tile-rate' });
    this.message = h('p', { class: 'tile-message' });
    this.broadcastButton = h('button', { type: 'button', dataset: { action: 'wall-broadcast' }, onclick: () => this.broadcast() });
    this.listenButton = h('button', { type: 'button', dataset: { action: 'wall-listen' }, onclick: () => this.listen() });
    this.clearButton = h('button', { type: 'button', class: 'danger', dataset: { action: 'wall-clear' }, onclick: () => this.assign(null) });
    this.el = h('div', {
      class: 'tile', dataset: { tile: index, state: 'idle' },
      ondragover: (e) => {
        if (![...e.dataTransfer.types].includes(SOURCE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        this.el.classList.add('drop');
      },
      ondragleave: () => this.el.classList.remove('drop'),
      ondrop: (e) => {
        this.el.classList.remove('drop');
        const source = parseSource(e.dataTransfer.getData(SOURCE));
        if (!source) return;
        e.preventDefault();
        this.assign(source);
      },
    },
    h('div', { class: 'tile-head' }, this.name, this.status, this.rate),
    this.video,
    this.message,
    h('div', { class: 'tile-actions' }, this.broadcastButton, this.listenButton, this.clearButton));
    this.render();
  }

  url() {
    const s = this.source;
    return s.kind === 'feed' ? `/api/feeds/${enc(s.id)}/whep` : `/api/sessions/${enc(s.sessionId)}/venues/${enc(s.id)}/whep`;
  }

  // Replaces what the tile plays (null clears it); the old watch is released first.
  assign(source) {
    this.stop();
    this.generation++;
    this.attempt = 0;
    this.error = null;
    this.source = source && { kind: source.kind, id: source.id, sessionId: source.sessionId };
    if (this.source?.kind === 'venue' && !this.source.sessionId) this.source.sessionId = sessionOfVenue(this.source.id);
    this.video.muted = true;
    if (!this.source) {
      this.setState('idle');
    } else if (this.source.kind === 'venue' && !this.source.sessionId) {
      this.fail('wall.err.noSession');
    } else {
      this.connect(this.generation);
    }
  }

  async connect(generation) {
    if (generation !== this.generation) return;
    this.stop();
    this.setState(this.attempt === 0 ? 'connecting' : 'retrying');
    let watched;
    try {
      watched = await watch(this.url(), { audio: this.source.kind === 'venue', gatherMs: timing.gatherMs });
    } catch (e) {
      if (generation === this.generation) this.refused(e, generation);
      return;
    }
    if (generation !== this.generation) {
      release(watched.location);
      watched.pc.close();
      return;
    }
    this.current = watched;
    this.error = null;
    this.video.srcObject = watched.stream;
    this.video.play().catch(() => {});
    const pc = watched.pc;
    const lost = () => this.current?.pc === pc && this.reconnect(generation);
    pc.addEventListener('connectionstatechange', () => {
      if (this.current?.pc !== pc) return;
      if (pc.connectionState === 'connected') {
        this.attempt = 0;
        this.setState('playing');
      } else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
        lost();
      } else if (pc.connectionState === 'disconnected') {
        // ICE may recover by itself within a few seconds; if not, start over.
        this.later(() => { if (pc.connectionState !== 'connected') lost(); }, timing.disconnectedMs);
      }
    });
    const dtls = pc.getReceivers().map((r) => r.transport).find(Boolean);
    if (dtls) dtls.addEventListener('statechange', () => { if (dtls.state === 'failed' || dtls.state === 'closed') lost(); });
    this.later(() => { if (pc.connectionState !== 'connected') lost(); }, timing.connectTimeoutMs);
    this.every(() => this.measure(pc), timing.statsMs);
  }

  // The connection dropped: a new WHEP POST after a short backoff, the old watch released.
  reconnect(generation) {
    this.stop();
    this.setState('retrying');
    this.retry(generation, this.backoff());
  }

  refused(e, generation) {
    const status = e instanceof WhepError ? e.status : -1;
    const detail = e instanceof WhepError ? e.detail : e?.message;
    if (status === 503) {
      this.fail('wall.err.unavailable', detail, 'retrying');
      this.retry(generation, e.retryAfterSeconds ? e.retryAfterSeconds * 1000 : this.backoff());
    } else if (status === 409) {
      this.fail('wall.err.notLive', detail);
      this.retry(generation, timing.notLiveRetryMs);
    } else if (status === 404) {
      this.fail('wall.err.notFound', detail);
    } else if (status === 403) {
      this.fail('wall.err.forbidden', detail);
    } else if (status === 401) {
      this.fail('wall.err.signedOut', detail);
    } else if (status === 400 || status === 413 || status === 415) {
      this.fail('wall.err.failed', detail);
    } else {
      this.fail(status === 0 ? 'wall.err.network' : 'wall.err.failed', detail, 'retrying');
      this.retry(generation, this.backoff());
    }
  }

  backoff() {
    return Math.min(timing.retryMs * 2 ** this.attempt++, timing.retryMaxMs);
  }

  retry(generation, ms) {
    this.retryAt = Date.now() + ms;
    this.render();
    this.later(() => this.connect(generation), ms);
    this.every(() => this.render(), 1000);
  }

  later(fn, ms) {
    const timer = setTimeout(() => { this.timers.delete(timer); fn(); }, ms);
    this.timers.add(timer);
  }

  every(fn, ms) {
    const timer = setInterval(fn, ms);
    this.timers.add(timer);
  }

  // Stops the current connection and its timers, and releases its watch on the server.
  stop() {
    for (const timer of this.timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
    this.timers.clear();
    this.retryAt = 0;
    if (this.current) {
      // The DELETE goes first, so that the watch ends as asked rather than by the closed connection.
      release(this.current.location);
      this.current.pc.close();
      this.current = null;
    }
    this.video.srcObject = null;
    this.stats = { bytes: 0, at: 0, kbps: 0, frames: 0, width: 0, height: 0 };
  }

  // Received bit rate from the change in bytes since the last report, with frames decoded and the picture size.
  async measure(pc) {
    let report;
    try {
      report = await pc.getStats();
    } catch {
      return;
    }
    if (this.current?.pc !== pc) return;
    let bytes = 0;
    const next = { frames: 0, width: 0, height: 0 };
    report.forEach((r) => {
      if (r.type !== 'inbound-rtp') return;
      bytes += r.bytesReceived ?? 0;
      if (r.kind === 'video') Object.assign(next, { frames: r.framesDecoded ?? 0, width: r.frameWidth ?? 0, height: r.frameHeight ?? 0 });
    });
    const now = performance.now();
    const kbps = this.stats.at ? Math.max(0, ((bytes - this.stats.bytes) * 8) / (now - this.stats.at)) : 0;
    this.stats = { bytes, at: now, kbps, ...next };
    this.render();
  }

  fail(key, detail, state = 'error') {
    this.error = { key, detail };
    this.setState(state);
  }

  setState(state) {
    this.state = state;
    if (state === 'playing' || state === 'idle') this.error = null;
    this.render();
  }

  // The session a broadcast goes to: a venue's own session, or for a camera the one chosen on the wall.
  broadcastSession() {
    return this.source?.kind === 'venue' ? this.source.sessionId : selectedSession;
  }

  onAir() {
    const session = model.sessions.get(this.broadcastSession())?.value;
    if (!session || !this.source) return false;
    return this.source.kind === 'feed' ? session.broadcastFeedId === this.source.id
      : !session.broadcastFeedId && session.broadcastVenueId === this.source.id;
  }

  async broadcast() {
    const source = this.source;
    const sessionId = this.broadcastSession();
    if (!source) return;
    if (!sessionId) {
      notify(t('wall.err.pickSession'));
      return;
    }
    const path = `/api/sessions/${enc(sessionId)}`;
    try {
      if (source.kind === 'feed') {
        // A camera is routed only once it is attached to the session.
        if (!model.sessions.get(sessionId)?.value.feedIds?.includes(source.id)) {
          await api(`${path}/feeds`, { method: 'POST', body: { feedId: source.id } });
        }
        await api(`${path}/broadcast`, { method: 'POST', body: { feedId: source.id } });
      } else {
        await api(`${path}/broadcast`, { method: 'POST', body: { venueId: source.id } });
      }
    } catch (e) {
      notify(e.message);
    }
  }

  listen() {
    this.video.muted = !this.video.muted;
    this.render();
  }

  sourceStatus() {
    const s = this.source;
    if (!s) return null;
    if (s.kind === 'feed') {
      const status = feeds.get(s.id)?.status ?? 'offline';
      return badge('feed', status, t(`feed.${status}`));
    }
    const status = model.venues.get(s.id)?.value.status ?? 'offline';
    return badge('status', status, t(`status.${status}`));
  }

  render() {
    const s = this.source;
    const el = this.el;
    el.dataset.state = this.state;
    el.classList.toggle('empty', !s);
    el.classList.toggle('on-air', this.onAir());
    for (const [key, value] of [['kind', s?.kind], ['source', s?.id], ['session', s?.sessionId], ['error', this.error?.key]]) {
      if (value) el.dataset[key] = value;
      else delete el.dataset[key];
    }
    Object.assign(el.dataset, {
      kbps: this.stats.kbps.toFixed(0), frames: this.stats.frames, width: this.stats.width, height: this.stats.height,
    });
    replace(this.name, s ? [h('small', {}, t(s.kind === 'feed' ? 'feed' : 'wall.venue')), ' ', sourceName(s)] : t('wall.drop'));
    replace(this.status, this.sourceStatus(), s && badge('wall', this.state, t(`wall.state.${this.state}`)),
      this.onAir() && badge('flag', 'on-air', t('wall.onAir')));
    this.rate.textContent = this.current ? `${this.stats.kbps.toFixed(0)} kbit/s${this.stats.width ? ` · ${this.stats.width}×${this.stats.height}` : ''}` : '';
    const retry = this.retryAt ? ` · ${t('wall.retryIn').replace('{n}', Math.max(1, Math.ceil((this.retryAt - Date.now()) / 1000)))}` : '';
    this.message.textContent = this.error ? `${t(this.error.key)}${retry}` : '';
    this.message.title = this.error?.detail ?? '';
    this.broadcastButton.textContent = t('broadcast');
    this.broadcastButton.hidden = !s;
    this.broadcastButton.disabled = !this.broadcastSession();
    this.listenButton.textContent = this.video.muted ? t('wall.listen') : t('wall.unlisten');
    this.listenButton.hidden = !this.current?.audio;
    this.clearButton.textContent = t('wall.clear');
    this.clearButton.hidden = !s;
  }
}

function setLayout(count) {
  localStorage.setItem('command.wall.layout', String(count));
  const grid = $('wall-tiles');
  while (tiles.length > count) {
    const tile = tiles.pop();
    tile.assign(null);
    tile.el.remove();
  }
  // Tiles that stay are left in place, so their pictures play on without a pause.
  while (tiles.length < count) {
    const tile = new Tile(tiles.length);
    tiles.push(tile);
    grid.append(tile.el);
  }
  grid.className = `wall-tiles layout-${count}`;
  grid.dataset.layout = count;
  renderControls();
}

function renderControls() {
  const count = tiles.length;
  replace($('wall-layouts'), LAYOUTS.map((n) => h('button', {
    type: 'button', class: n === count ? 'active' : '', dataset: { layout: n }, 'aria-pressed': String(n === count),
    title: `${t('wall.layout')} ${n}`, onclick: () => setLayout(n),
  }, String(n))));
  const sessions = liveSessions().sort((a, b) => a.title.localeCompare(b.title));
  if (selectedSession && !sessions.some((s) => s.id === selectedSession)) selectedSession = '';
  if (!selectedSession && sessions.length) selectedSession = sessions[0].id;
  const select = $('wall-session');
  replace(select, sessions.length
    ? sessions.map((s) => h('option', { value: s.id, selected: s.id === selectedSession }, s.title))
    : h('option', { value: '' }, t('wall.noSession')));
  select.value = selectedSession;
}

function renderFeeds() {
  const list = [...feeds.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  replace($('feed-list'), h('h3', {}, t('feeds')), list.length
    ? h('ul', { class: 'feed-list' }, list.map((f) => h('li', { draggable: 'true', dataset: { feed: f.id }, title: f.owner },
      f.name, ' ', badge('feed', f.status, t(`feed.${f.status}`)),
      f.status === 'online' && f.width ? h('small', {}, `${f.width}×${f.height} · ${Math.round(f.fps ?? 0)}fps · ${Math.round(f.bitrateKbps ?? 0)} kbit/s`) : null)))
    : h('p', { class: 'empty' }, t('wall.noFeeds')));
}

async function loadFeeds() {
  try {
    const list = await api('/api/feeds');
    const before = JSON.stringify([...feeds.values()]);
    feeds.clear();
    for (const f of list) feeds.set(f.id, f);
    if (JSON.stringify(list) !== before) renderAll();
  } catch {
    // The next refresh tries again; the list keeps the last known status meanwhile.
  }
}

function renderAll() {
  renderFeeds();
  renderControls();
  for (const tile of tiles) tile.render();
}

// A camera from the feed list or a session card, or a venue from the tree or a session card (then with that session).
function dragStart(event) {
  const el = event.target instanceof Element ? event.target.closest('[data-feed], [data-venue]') : null;
  if (!el || !event.dataTransfer) return;
  const source = el.dataset.feed
    ? { kind: 'feed', id: el.dataset.feed }
    : { kind: 'venue', id: el.dataset.venue, sessionId: el.closest('[data-session]')?.dataset.session };
  event.dataTransfer.setData(SOURCE, JSON.stringify(source));
  event.dataTransfer.setData('text/plain', sourceName(source));
  event.dataTransfer.effectAllowed = 'copy';
}

export function initWall({ toast } = {}) {
  if (toast) notify = toast;
  const stored = Number(localStorage.getItem('command.wall.layout'));
  setLayout(LAYOUTS.includes(stored) ? stored : 4);
  $('wall-session').addEventListener('change', (e) => { selectedSession = e.target.value; renderAll(); });
  document.addEventListener('dragstart', dragStart);
  // The page's language switch re-renders everything the wall wrote itself.
  new MutationObserver(renderAll).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  window.addEventListener('pagehide', () => { for (const tile of tiles) tile.stop(); });
  onChange(renderAll);
  renderAll();
  loadFeeds();
  setInterval(loadFeeds, timing.feedRefreshMs);
  window.commandWall = { tiles, timing };
}
