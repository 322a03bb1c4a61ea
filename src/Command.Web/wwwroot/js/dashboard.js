import { api } from './api.js';
import { initBookings, renderBookingForm, renderBookings } from './bookings.js';
import { connectCascade, initCascade, remoteVenuesRow, renderCascade, upperBlock, viewUpperButton } from './cascade.js';
import { initConvene, renderConvene } from './convene.js';
import { h, replace } from './dom.js';
import { applyTo, t, toggle } from './i18n.js';
import { initIncidents, renderIncidentForm, renderIncidents, useFeedNames } from './incidents.js';
import { connect, model, onChange, regionTree, showConnection } from './live.js';
import { initRecordings, recordingsBlock } from './recordings.js';
import { $, act, badge, remove, toast, venueName } from './ui.js';
import { initWall } from './wall.js';

// Camera feeds with their stream status; the hub does not carry feed status, so the session cards poll for it.
const feeds = new Map();
const feedRefreshMs = 10000;

function feedName(id) {
  return feeds.get(id)?.name ?? id;
}

async function loadFeeds() {
  try {
    const list = await api('/api/feeds');
    const before = JSON.stringify([...feeds.values()]);
    feeds.clear();
    for (const f of list) feeds.set(f.id, f);
    if (JSON.stringify(list) !== before) renderSessions();
  } catch {
    // The next refresh tries again; the cards keep the last known status meanwhile.
  }
}

function renderVenues() {
  const region = (node) => h('details', { open: node.level !== 'township', class: `region level-${node.level}` },
    h('summary', {}, node.name, ' ', h('small', {}, t(`level.${node.level}`))),
    h('ul', { class: 'venues' }, [...model.venues.values()].map((e) => e.value).filter((v) => v.regionCode === node.code)
      .map((v) => h('li', { draggable: 'true', dataset: { venue: v.id } }, v.name, ' ', badge('status', v.status, t(`status.${v.status}`))))),
    node.children.map(region));
  replace($('venue-tree'), regionTree ? region(regionTree) : null);
}

function mediaCell(m) {
  const codecs = [m.audioCodec, m.videoCodec].filter(Boolean).join(' · ');
  return h('span', { title: `${t('media.in')} ${m.packetsIn} · ${t('media.out')} ${m.packetsOut}` },
    h('small', {}, `${codecs} ↓${m.kbpsIn.toFixed(0)} ↑${m.kbpsOut.toFixed(0)} kbit/s · ${t('media.lost')} ${m.packetsLost} · ${m.jitterMs.toFixed(1)} ms`));
}

// A joined venue in a live session shows where its leg stands (calling, connected, call failed, dropped),
// never a bare "joined"; the venue's own status badge follows the one rule (offline, online, in session).
function participantState(live, p) {
  const venue = model.venues.get(p.venueId)?.value;
  const state = live && p.status === 'joined'
    ? badge('leg', p.media?.state ?? 'waiting', t(`leg.${p.media?.state ?? 'waiting'}`))
    : badge('p', p.status, t(`p.${p.status}`));
  return [state, venue ? badge('status', venue.status, t(`status.${venue.status}`)) : null];
}

function replacementBadges(p) {
  if (p.status !== 'replaced' || !p.replacedBy) return null;
  return [
    ' ', badge('flag', p.autoReplaced ? 'auto-replaced' : 'replaced-by', `${t(p.autoReplaced ? 'autoReplacedBy' : 'replacedBy')} ${venueName(p.replacedBy)}`),
    p.returnedAt && [' ', badge('flag', 'returned', t('returned'))],
  ];
}

function viewingName(p) {
  if (p.viewingFeedId) return `${t('feed')} ${feedName(p.viewingFeedId)}`;
  if (p.viewingUplinkId) return t('cascade.upper');
  return p.viewingVenueId ? venueName(p.viewingVenueId) : '—';
}

const ROW_CELLS = 7;

function participantRow(session, p) {
  const s = `/api/sessions/${session.id}`;
  const live = session.state === 'live';
  const joined = live && p.status === 'joined';
  const standsInForReturned = session.venues.some((o) => o.replacedBy === p.venueId && o.returnedAt);
  return h('tr', { draggable: 'true', dataset: { venue: p.venueId }, class: p.venueId === session.broadcastVenueId ? 'on-air' : '' },
    h('td', {}, venueName(p.venueId), p.venueId === session.chairVenueId ? h('small', {}, ` · ${t('chair')}`) : null),
    h('td', { class: 'state' }, ...participantState(live, p), replacementBadges(p), p.note ? h('small', { class: 'note' }, p.note) : null),
    h('td', { class: 'viewing' }, viewingName(p)),
    h('td', { class: 'muted' }, p.muted ? badge('flag', 'muted', t('muted')) : ''),
    h('td', {}, p.checkedIn ? t('checkedIn') : t('notCheckedIn')),
    h('td', { class: 'media' }, live && p.media ? mediaCell(p.media) : ''),
    h('td', { class: 'actions' },
      joined && h('button', { dataset: { action: 'broadcast' }, onclick: () => act(`${s}/broadcast`, { venueId: p.venueId }) }, t('broadcast')),
      joined && p.venueId !== session.chairVenueId &&
        h('button', { dataset: { action: 'view' }, onclick: () => act(`${s}/view`, { venueId: session.chairVenueId, targetVenueId: p.venueId }) }, t('view')),
      viewUpperButton(session, p),
      joined && h('button', { dataset: { action: 'rollcall' }, onclick: () => act(`${s}/rollcall`, { venueId: p.venueId }) }, t('rollcall')),
      joined && h('button', { dataset: { action: 'mute' }, onclick: () => act(`${s}/mute`, { venueId: p.venueId, muted: !p.muted }) }, p.muted ? t('unmute') : t('mute')),
      joined && h('button', { dataset: { action: 'backup' }, onclick: () => act(`${s}/backup`, { failedVenueId: p.venueId }) }, t('backup')),
      live && p.status === 'replaced' && p.returnedAt &&
        h('button', { dataset: { action: 'readd' }, onclick: () => act(`${s}/venues`, { venueId: p.venueId }) }, t('readd')),
      joined && standsInForReturned && p.venueId !== session.chairVenueId &&
        h('button', { dataset: { action: 'remove' }, onclick: () => remove(`${s}/venues/${p.venueId}`) }, t('removeVenue')),
      !p.checkedIn && (p.status === 'invited' || joined) &&
        h('button', { dataset: { action: 'checkin' }, onclick: () => act(`${s}/checkin`, { venueId: p.venueId }) }, t('checkIn'))));
}

function feedRow(session, feedId) {
  const s = `/api/sessions/${session.id}`;
  const status = feeds.get(feedId)?.status ?? 'offline';
  return h('li', { dataset: { feed: feedId }, class: feedId === session.broadcastFeedId ? 'on-air' : '' },
    feedName(feedId), ' ', badge('feed', status, t(`feed.${status}`)), ' ',
    session.state === 'live' && h('button', { dataset: { action: 'broadcast-feed' }, onclick: () => act(`${s}/broadcast`, { feedId }) }, t('broadcast')),
    session.state !== 'ended' && h('button', { dataset: { action: 'detach-feed' }, onclick: () => remove(`${s}/feeds/${feedId}`) }, t('detachFeed')));
}

function broadcastName(session) {
  if (session.broadcastFeedId) return `${t('feed')} ${feedName(session.broadcastFeedId)}`;
  if (session.broadcastUplinkId) return t('cascade.upper');
  return session.broadcastVenueId ? venueName(session.broadcastVenueId) : '—';
}

function sessionCard(session) {
  const s = `/api/sessions/${session.id}`;
  const live = session.state === 'live';
  const joined = session.venues.filter((p) => p.status === 'joined').map((p) => p.venueId);
  const interval = h('input', { type: 'number', min: 1, max: 3600, value: 20, class: 'interval', 'aria-label': t('seconds') });
  const auto = session.autoBackup ?? { enabled: false, afterSeconds: 10 };
  const autoSeconds = h('input', { type: 'number', min: 1, max: 3600, value: auto.afterSeconds, class: 'auto-seconds', 'aria-label': t('seconds') });
  return h('article', { class: `session state-${session.state}`, id: `session-${session.id}`, dataset: { session: session.id } },
    h('header', {},
      h('h3', {}, session.title),
      badge('kind', session.kind, t(`kind.${session.kind}`)),
      badge('state', session.state, t(`state.${session.state}`)),
      session.locked && badge('flag', 'locked', t('locked')),
      session.polling && badge('flag', 'polling', `${t('polling')} ${session.polling.intervalSeconds}${t('seconds')}`),
      badge('auto', auto.enabled ? 'on' : 'off', auto.enabled ? `${t('autoBackup')} ${auto.afterSeconds}${t('seconds')}` : `${t('autoBackup')}: ${t('off')}`)),
    h('p', { class: 'floor' },
      `${t('chair')}: ${venueName(session.chairVenueId)} · `,
      `${t('broadcast')}: `, h('strong', { class: 'broadcast' }, broadcastName(session)),
      ` · ${t('speaker')}: `, h('span', { class: 'speaker' }, session.speakerVenueId ? venueName(session.speakerVenueId) : '—')),
    h('div', { class: 'controls' },
      session.state === 'scheduled' && h('button', { dataset: { action: 'start' }, onclick: () => act(`${s}/start`) }, t('start')),
      live && h('button', { dataset: { action: 'mute-all' }, onclick: () => act(`${s}/mute`, { muted: true }) }, t('muteAll')),
      live && h('button', { dataset: { action: 'unmute-all' }, onclick: () => act(`${s}/mute`, { muted: false }) }, t('unmuteAll')),
      live && !session.polling && [interval, h('button', {
        dataset: { action: 'poll' },
        onclick: () => act(`${s}/poll`, { venueIds: joined.filter((v) => v !== session.chairVenueId), intervalSeconds: Number(interval.value) }),
      }, t('poll'))],
      live && session.polling && h('button', { dataset: { action: 'stop-poll' }, onclick: () => act(`${s}/poll/stop`) }, t('stopPoll')),
      session.state !== 'ended' && [autoSeconds, h('button', {
        dataset: { action: 'autobackup' },
        onclick: () => act(`${s}/autobackup`, { enabled: !auto.enabled, afterSeconds: Number(autoSeconds.value) }),
      }, auto.enabled ? t('autoBackupOff') : t('autoBackupOn'))],
      session.state !== 'ended' && h('button', { dataset: { action: 'lock' }, onclick: () => act(`${s}/lock`, { locked: !session.locked }) }, session.locked ? t('unlock') : t('lock')),
      session.state !== 'ended' && h('button', { dataset: { action: 'end' }, class: 'danger', onclick: () => act(`${s}/end`) }, t('end'))),
    session.feedIds?.length > 0 && h('div', { class: 'feeds' },
      h('small', {}, t('feeds')), h('ul', {}, session.feedIds.map((f) => feedRow(session, f)))),
    upperBlock(session),
    recordingsBlock(session),
    h('table', {}, h('tbody', {}, session.venues.flatMap((p) => [participantRow(session, p), remoteVenuesRow(session, p, ROW_CELLS)]))));
}

function renderSessions() {
  const sessions = [...model.sessions.values()].map((e) => e.value).filter((s) => s.state !== 'ended')
    .sort((a, b) => (a.state === b.state ? a.title.localeCompare(b.title) : a.state === 'live' ? -1 : 1));
  replace($('sessions'), sessions.length ? sessions.map(sessionCard) : h('p', { class: 'empty' }, t('sessions.none')));
}

// A list rebuilt under a drag loses the dragged element and its drop never lands, so while a venue or
// session row is being dragged onto the wall the rebuild waits for the drag to end.
// A drop ends it as well as dragend does, and a drag that never reports its end lets go after 15 s.
let dragging = false;
let dragLimit = 0;
const deferred = new Set();
function dragEnded() {
  if (!dragging) return;
  dragging = false;
  clearTimeout(dragLimit);
  const kinds = [...deferred];
  deferred.clear();
  for (const kind of kinds) render(kind);
}
document.addEventListener('dragstart', () => {
  dragging = true;
  clearTimeout(dragLimit);
  dragLimit = setTimeout(dragEnded, 15000);
});
document.addEventListener('drop', () => setTimeout(dragEnded), true);
document.addEventListener('dragend', dragEnded);

function render(kind) {
  if (dragging) {
    deferred.add(kind);
    return;
  }
  if (kind === 'all' || kind === 'venues') {
    renderVenues();
    renderConvene();
    renderIncidentForm();
    renderBookingForm();
  }
  renderCascade();
  if (kind === 'all' || kind === 'venues' || kind === 'sessions') renderSessions();
  if (kind === 'all' || kind === 'venues' || kind === 'sessions' || kind === 'incidents') renderIncidents();
  if (kind === 'all' || kind === 'venues' || kind === 'sessions' || kind === 'bookings') renderBookings();
}

async function main() {
  applyTo();
  const me = await api('/api/auth/me');
  replace($('who'), `${me.name} · `, h('span', { dataset: { i18n: `role.${me.role}` } }, t(`role.${me.role}`)));
  $('users-link').hidden = me.role !== 'admin';
  $('lang').addEventListener('click', () => { toggle(); render('all'); });
  $('logout').addEventListener('click', async () => { await api('/api/auth/logout', { method: 'POST' }); location.href = '/login.html'; });
  initConvene();
  initIncidents();
  initBookings();
  useFeedNames(feedName);
  onChange(render);
  initCascade(me, { onChange: () => render('sessions') });
  initWall({ toast });
  await loadFeeds();
  setInterval(loadFeeds, feedRefreshMs);
  const hub = await connect(me.region, showConnection);
  initRecordings(hub);
  await connectCascade(hub);
}

main().catch((e) => { if (e.message !== 'signed out') toast(e.message); });
