// The live model: a snapshot of the user's region, then changes from the hub. Each change carries
// its entity's version as seq; anything not newer than what is held is dropped.
import { t } from './i18n.js';

const stores = { venues: new Map(), sessions: new Map(), incidents: new Map(), bookings: new Map() };
const listeners = new Set();

export const model = stores;

export let regionTree = null;

export function onChange(listener) {
  listeners.add(listener);
}

function notify(kind) {
  for (const listener of listeners) listener(kind);
}

function apply(store, id, seq, value) {
  const held = store.get(id);
  if (held && held.seq >= seq) return false;
  store.set(id, { seq, value });
  return true;
}

// Leg statistics arrive between floor changes; they are merged into the held session's venues.
const mediaSeq = new Map();
function applyMedia(media, seq) {
  const held = stores.sessions.get(media.sessionId);
  if (!held || (mediaSeq.get(media.sessionId) ?? 0) >= seq) return false;
  mediaSeq.set(media.sessionId, seq);
  const legs = new Map(media.legs.map((l) => [l.venueId, l]));
  held.value = { ...held.value, venues: held.value.venues.map((p) => ({ ...p, media: legs.get(p.venueId) ?? p.media })) };
  return true;
}

function load(snapshot) {
  regionTree = snapshot.region;
  for (const store of Object.values(stores)) store.clear();
  for (const v of snapshot.venues) stores.venues.set(v.id, { seq: v.version, value: v });
  for (const s of snapshot.sessions) stores.sessions.set(s.id, { seq: s.version, value: s });
  for (const i of snapshot.incidents) stores.incidents.set(i.id, { seq: i.version, value: i });
  for (const b of snapshot.bookings) stores.bookings.set(b.id, { seq: b.version, value: b });
  notify('all');
}

export async function connect(region, onStatus) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/command')
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(1000 * 2 ** ctx.previousRetryCount, 10000) })
    .build();
  connection.on('VenueChanged', (c) => apply(stores.venues, c.venue.id, c.seq, c.venue) && notify('venues'));
  connection.on('SessionChanged', (c) => apply(stores.sessions, c.session.id, c.seq, c.session) && notify('sessions'));
  connection.on('IncidentChanged', (c) => apply(stores.incidents, c.incident.id, c.seq, c.incident) && notify('incidents'));
  connection.on('MediaChanged', (c) => applyMedia(c.media, c.seq) && notify('sessions'));
  connection.on('BookingChanged', (c) => apply(stores.bookings, c.booking.id, c.seq, c.booking) && notify('bookings'));
  connection.onreconnecting(() => onStatus('reconnecting'));
  connection.onreconnected(async () => {
    // Groups do not survive a reconnect: subscribe again and take a fresh snapshot.
    load(await connection.invoke('SubscribeRegion', region));
    onStatus('live');
  });
  connection.onclose(() => onStatus('offline'));
  await connection.start();
  load(await connection.invoke('SubscribeRegion', region));
  onStatus('live');
  return connection;
}

// The hub connection's state in the page header's #connection badge.
export function showConnection(status) {
  const el = document.getElementById('connection');
  el.className = `badge conn-${status}`;
  el.dataset.i18n = `conn.${status}`;
  el.textContent = t(`conn.${status}`);
}
