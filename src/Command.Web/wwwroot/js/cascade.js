// Cascade (级联) on the dashboard: the uplinks to the deployment above, kept up to date by the hub's UplinkChanged
// (fetched again only after the hub reconnects), an admin's form to add one, and what the session cards show of
// it: a relay session's upper conference, and under a venue that is a deployment below, that deployment's venues.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { model } from './live.js';
import { venuePicker } from './picker.js';
import { $, act, badge, venueName, venues } from './ui.js';

const uplinks = new Map(); // id → the newest view seen; a removed one stays as a tombstone so an older list cannot bring it back
const openRosters = new Set(); // `${sessionId}/${venueId}` of the lists of venues below the operator opened
let admin = false;
let changed = () => {};
let picker = null;

const enc = encodeURIComponent;
const removed = (u) => u.status === 'offline' && u.reason === 'removed';

// Uplink versions are larger than a JavaScript number holds exactly (neighbours may read as equal), so only a view
// that reads as older is dropped: the hub sends an uplink's changes in order, and a view read as equal is the later
// one. The list, which may have been read before a change the hub already pushed, must read as newer.
function take(view, { list = false } = {}) {
  const held = uplinks.get(view.id);
  if (held && (list ? held.version >= view.version : held.version > view.version)) return false;
  uplinks.set(view.id, view);
  return true;
}

// The list as the API gives it now: anything held but absent was removed, unless what is held is newer than the whole list.
async function load() {
  try {
    const list = await api('/api/cascade/uplinks');
    const newest = Math.max(0, ...list.map((u) => u.version));
    const listed = new Set(list.map((u) => u.id));
    for (const [id, u] of uplinks) if (!listed.has(id) && u.version <= newest) uplinks.delete(id);
    for (const u of list) take(u, { list: true });
    $('uplinks').dataset.loaded = 'true';
  } catch (e) {
    $('uplinks-error').textContent = e.message;
    return;
  }
  $('uplinks-error').textContent = '';
  update();
}

function update() {
  renderUplinks();
  changed();
}

export function uplinkName(id) {
  const u = uplinks.get(id);
  return u && !removed(u) ? u.name : id;
}

// The reasons the cluster and the bridges give, in the page's language; any other is shown as it came.
const reasons = {
  registering: 'reason.registering',
  'waiting for a media bridge to take it': 'reason.noBridge',
  'its media bridge is gone; waiting for another': 'reason.bridgeGone',
  'no answer from the registrar': 'reason.noAnswer',
  'the registrar did not answer a keep-alive': 'reason.keepAlive',
  'the registrar accepted the REGISTER but kept no binding': 'reason.noBinding',
};

function reasonText(reason) {
  if (reasons[reason]) return t(reasons[reason]);
  const refused = /^(\d{3} .*): the registrar refused the username or password$/.exec(reason);
  return refused ? `${t('reason.refused')} (${refused[1]})` : reason;
}

function sessionTitle(id) {
  return model.sessions.get(id)?.value.title ?? id;
}

function uplinkItem(u) {
  return h('li', { dataset: { uplink: u.id, status: u.status } },
    h('div', { class: 'uplink-head' },
      h('strong', { class: 'uplink-name' }, u.name),
      badge('uplink', u.status, t(`uplink.${u.status}`)),
      u.configured && badge('flag', 'configured', t('cascade.configured')),
      admin && !u.configured && h('button', { type: 'button', class: 'danger', dataset: { action: 'delete-uplink' }, onclick: () => removeUplink(u) }, t('cascade.delete'))),
    h('small', { class: 'uplink-address' }, `${u.username} @ ${u.registrar}`),
    u.status === 'offline' && u.reason && h('p', { class: 'uplink-reason', title: u.reason }, `${t('cascade.reason')}: ${reasonText(u.reason)}`),
    u.status === 'in-call' && u.sessionId &&
      h('p', { class: 'uplink-relay' }, `${t('cascade.relay')}: `, h('a', { href: `#session-${u.sessionId}`, dataset: { relay: u.sessionId } }, sessionTitle(u.sessionId))),
    u.venueIds?.length > 0 && h('small', { class: 'uplink-venues' }, `${t('cascade.relayVenues')}: ${u.venueIds.map(venueName).join('、')}`));
}

// Redrawn only when what it shows changed, not on every leg statistic the session cards take, so a button stays put under the pointer.
let drawn = '';
function renderUplinks() {
  const list = [...uplinks.values()].filter((u) => !removed(u)).sort((a, b) => a.name.localeCompare(b.name));
  const key = JSON.stringify([t('cascade.none'), admin, list, list.map((u) => [sessionTitle(u.sessionId), u.venueIds?.map(venueName)])]);
  if (key === drawn) return;
  drawn = key;
  replace($('uplinks'), list.length ? list.map(uplinkItem) : h('li', { class: 'empty' }, t('cascade.none')));
}

async function removeUplink(u) {
  try {
    await api(`/api/cascade/uplinks/${enc(u.id)}`, { method: 'DELETE' });
    // The hub says so too; the list need not wait for it.
    uplinks.set(u.id, { ...u, status: 'offline', reason: 'removed', sessionId: null });
    $('uplinks-error').textContent = '';
    update();
  } catch (e) {
    $('uplinks-error').textContent = e.message;
  }
}

// The relay chair list: "none" first, then every venue; rebuilt only when the venues or the language change.
function chairOptions(select) {
  const list = venues();
  const key = JSON.stringify([t('cascade.noRelay'), list.map((v) => [v.id, v.name])]);
  if (select.dataset.built === key) return;
  const keep = select.value;
  select.dataset.built = key;
  replace(select, h('option', { value: '' }, t('cascade.noRelay')), list.map((v) => h('option', { value: v.id }, v.name)));
  select.value = keep;
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  const error = $('new-uplink-error');
  const chair = form.chair.value;
  // The first venue chairs the relay session; without a chair, the first ticked one does.
  const venueIds = [chair, ...picker.selected().filter((v) => v !== chair)].filter(Boolean);
  const body = { name: form.name.value.trim(), registrar: form.registrar.value.trim(), username: form.username.value.trim(), password: form.password.value, venueIds };
  error.textContent = '';
  form.querySelector('button[type=submit]').disabled = true;
  try {
    const created = await api('/api/cascade/uplinks', { method: 'POST', body });
    take(created);
    form.reset();
    picker.set([]);
    update();
  } catch (e) {
    error.textContent = e.message;
  } finally {
    form.querySelector('button[type=submit]').disabled = false;
  }
}

// Called on every change the dashboard draws: venue names, session titles and the language may have changed.
export function renderCascade() {
  if (!picker) return;
  chairOptions($('new-uplink').chair);
  picker.render();
  renderUplinks();
}

// The panel for the signed-in user (only an admin gets the form and the delete buttons); onChange redraws the session cards.
export function initCascade(me, { onChange }) {
  admin = me.role === 'admin';
  changed = onChange;
  $('uplink-panel').hidden = !admin;
  $('cascade-readonly').hidden = admin;
  picker = venuePicker($('new-uplink-venues'));
  $('new-uplink').addEventListener('submit', submit);
  renderCascade();
}

// The hub pushes every uplink change to every dashboard; the list is fetched once the handler is there, and again after a reconnect.
export function connectCascade(hub) {
  hub.on('UplinkChanged', (c) => { if (take(c.uplink)) update(); });
  hub.onreconnected(load);
  return load();
}

// A relay session's source from the deployment above: the link's state, what is sent up, and broadcasting it.
export function upperBlock(session) {
  if (!session.uplinkId) return null;
  const u = uplinks.get(session.uplinkId);
  const onAir = session.broadcastUplinkId === session.uplinkId;
  return h('div', { class: onAir ? 'cascade-upper on-air' : 'cascade-upper', dataset: { uplink: session.uplinkId } },
    h('strong', {}, t('cascade.upper')),
    h('span', { class: 'uplink-name' }, uplinkName(session.uplinkId)),
    badge('link', session.uplinkConnected ? 'up' : 'down', t(session.uplinkConnected ? 'cascade.linkUp' : 'cascade.linkDown')),
    u && !removed(u) && badge('uplink', u.status, t(`uplink.${u.status}`)),
    onAir && badge('flag', 'on-air', t('wall.onAir')),
    h('span', { class: 'sending-up' }, `${t('cascade.sendingUp')}: `,
      h('strong', { dataset: { venue: session.uplinkVenueId ?? '' } }, session.uplinkVenueId ? venueName(session.uplinkVenueId) : t('cascade.ownBroadcast'))),
    session.state === 'live' && h('button', {
      type: 'button', dataset: { action: 'broadcast-uplink' },
      onclick: () => act(`/api/sessions/${enc(session.id)}/broadcast`, { uplinkId: session.uplinkId }),
    }, t('cascade.broadcastUpper')));
}

// A joined venue of a relay session can be set to view the upper conference.
export function viewUpperButton(session, p) {
  if (!session.uplinkId || session.state !== 'live' || p.status !== 'joined' || p.viewingUplinkId === session.uplinkId) return null;
  return h('button', {
    type: 'button', dataset: { action: 'view-uplink' },
    onclick: () => act(`/api/sessions/${enc(session.id)}/view`, { venueId: p.venueId, targetUplinkId: session.uplinkId }),
  }, t('cascade.viewUpper'));
}

// Under a venue that is a deployment below (it carries remoteVenues), that deployment's venues, each one to roll call up.
export function remoteVenuesRow(session, p, columns) {
  if (!Array.isArray(p.remoteVenues)) return null;
  const key = `${session.id}/${p.venueId}`;
  const path = `/api/sessions/${enc(session.id)}/cascade/rollcall`;
  const live = session.state === 'live' && p.status === 'joined';
  const sending = p.remoteVenues.find((r) => r.sending);
  return h('tr', { class: 'remote-venues', dataset: { remoteOf: p.venueId } },
    h('td', { colspan: columns },
      h('details', { open: openRosters.has(key), ontoggle: (e) => (e.target.open ? openRosters.add(key) : openRosters.delete(key)) },
        h('summary', {}, `${t('cascade.remote')} (${p.remoteVenues.length})`,
          h('small', {}, ` · ${t('cascade.sendingUp')}: ${sending ? sending.name ?? sending.venueId : t('cascade.theirOwn')}`)),
        h('ul', {}, p.remoteVenues.map((r) => h('li', { dataset: { remoteVenue: r.venueId, status: r.status }, class: r.sending ? 'sending' : '' },
          h('span', { class: 'remote-name' }, r.name ?? r.venueId),
          badge('p', r.status, t(`p.${r.status}`)),
          r.sending && badge('flag', 'sending-up', t('cascade.sending')),
          live && h('button', { type: 'button', dataset: { action: 'cascade-rollcall' }, onclick: () => act(path, { venueId: p.venueId, remoteVenueId: r.venueId }) }, t('cascade.rollcallUp'))))),
        live && h('button', {
          type: 'button', dataset: { action: 'cascade-their-broadcast' }, disabled: !p.remoteVenueId,
          onclick: () => act(path, { venueId: p.venueId, remoteVenueId: null }),
        }, t('cascade.theirBroadcast')))));
}
