// The venue client: a browser as one venue of a live session. It sends camera and microphone to
// the bridge (WHIP-style: POST offer, answer back, DELETE to leave), shows the picture the chair
// routes to it and the floor state from the hub, and rejoins by itself: at once when the hub says
// the session's media moved to another bridge or the leg's ICE or DTLS fails, after the server's
// Retry-After when the bridge is being replaced (503), and with backoff after a network drop.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { applyTo, t, toggle } from './i18n.js';
import { connect, model, onChange, showConnection } from './live.js';

const $ = (id) => document.getElementById(id);
const RETRY_MS = [1000, 2000, 4000, 8000];

const state = { wanted: null, pc: null, location: null, local: null, attempt: 0, timer: null, moved: new Map() };
window.commandVenue = state;

function toast(message) {
  $('toast').textContent = message;
  setTimeout(() => { if ($('toast').textContent === message) $('toast').textContent = ''; }, 5000);
}

function setMedia(status) {
  const el = $('media-state');
  el.className = `badge media-${status}`;
  el.dataset.i18n = `venue.${status}`;
  el.textContent = t(`venue.${status}`);
  el.dataset.state = status;
}

function venueName(id) {
  return model.venues.get(id)?.value.name ?? id ?? '—';
}

async function camera() {
  if (!state.local) {
    state.local = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360, frameRate: 25 } });
    $('local').srcObject = state.local;
  }
  return state.local;
}

async function join() {
  clearTimeout(state.timer);
  const { sessionId, venueId } = state.wanted;
  setMedia('connecting');
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  state.pc = pc;
  const local = await camera();
  for (const track of local.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv', streams: [local] });
  pc.ontrack = (event) => {
    const remote = $('remote');
    if (!remote.srcObject) remote.srcObject = new MediaStream();
    remote.srcObject.addTrack(event.track);
  };
  pc.onconnectionstatechange = () => {
    if (state.pc !== pc) return;
    if (pc.connectionState === 'connected') {
      state.attempt = 0;
      setMedia('connected');
    } else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
      rejoinNow();
    } else if (pc.connectionState === 'disconnected') {
      setMedia('reconnecting');
      // ICE may recover by itself within a few seconds; if not, start over.
      state.timer = setTimeout(() => { if (state.pc === pc && pc.connectionState !== 'connected') rejoinLater(); }, 5000);
    }
  };
  pc.oniceconnectionstatechange = () => {
    if (state.pc === pc && pc.iceConnectionState === 'failed') rejoinNow();
  };
  await pc.setLocalDescription(await pc.createOffer());
  // The DTLS transport exists once the offer is set; its failure ends the leg as surely as ICE's.
  const dtls = pc.getSenders().map((s) => s.transport).find(Boolean);
  if (dtls) dtls.onstatechange = () => { if (state.pc === pc && dtls.state === 'failed') rejoinNow(); };
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/venues/${encodeURIComponent(venueId)}/webrtc`, {
    method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp,
  });
  if (response.status === 401) {
    location.href = `/login.html?next=${encodeURIComponent('/venue.html')}`;
    return;
  }
  if (response.status !== 201) {
    const problem = await response.json().catch(() => ({}));
    const retryAfter = Number(response.headers.get('retry-after'));
    throw Object.assign(new Error(problem.detail ?? problem.title ?? `${response.status}`),
      { status: response.status, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null });
  }
  state.location = response.headers.get('location');
  await pc.setRemoteDescription({ type: 'answer', sdp: await response.text() });
}

function teardown() {
  clearTimeout(state.timer);
  const { pc, location: leg } = state;
  state.pc = null;
  state.location = null;
  if (pc) pc.close();
  // A 503 or failure here means the old bridge is gone, and the leg with it: nothing to wait for.
  if (leg) fetch(leg, { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
  const remote = $('remote');
  remote.srcObject = null;
}

function rejoinLater(delay = RETRY_MS[Math.min(state.attempt++, RETRY_MS.length - 1)]) {
  if (!state.wanted) return;
  teardown();
  setMedia('reconnecting');
  state.timer = setTimeout(() => start().catch(() => {}), delay);
}

// The leg is known dead (moved bridge, ICE or DTLS failed): the first try goes at once, repeats back off.
function rejoinNow() {
  const delay = state.attempt === 0 ? 0 : RETRY_MS[Math.min(state.attempt, RETRY_MS.length - 1)];
  state.attempt++;
  rejoinLater(delay);
}

// The session's media moved to another bridge: the old leg is gone, so join the new bridge.
function onMediaMoved(move) {
  if ((state.moved.get(move.sessionId) ?? 0) >= move.seq) return;
  state.moved.set(move.sessionId, move.seq);
  if (state.wanted?.sessionId !== move.sessionId) return;
  toast(t('venue.moved'));
  state.attempt = 0;
  rejoinNow();
}

async function start() {
  try {
    await join();
  } catch (e) {
    toast(e.message);
    // A refusal (not in the session, session over) will not change by retrying; a network failure may.
    if (e.status === 503 && e.retryAfterMs) {
      rejoinLater(e.retryAfterMs);
    } else if (e.status && e.status < 500) {
      state.wanted = null;
      teardown();
      setMedia('idle');
      render();
    } else {
      rejoinLater();
    }
  }
}

function liveSessionsOf(venueId) {
  return [...model.sessions.values()].map((e) => e.value)
    .filter((s) => s.state === 'live' && s.venues.some((p) => p.venueId === venueId));
}

function renderSessions() {
  const venueId = $('venue').value;
  const held = $('session').value;
  replace($('session'), liveSessionsOf(venueId).map((s) => h('option', { value: s.id, selected: s.id === held }, s.title)));
}

function renderFloor() {
  const wanted = state.wanted;
  const session = wanted && model.sessions.get(wanted.sessionId)?.value;
  if (!session) {
    replace($('floor'));
    $('watching').textContent = '—';
    return;
  }
  const me = session.venues.find((p) => p.venueId === wanted.venueId);
  const row = (key, value, id) => [h('dt', {}, t(key)), h('dd', { id }, value)];
  $('watching').textContent = venueName(me?.viewingVenueId ?? session.broadcastVenueId);
  replace($('floor'),
    row('venue.sessionTitle', session.title, 'floor-title'),
    row('chair', venueName(session.chairVenueId), 'floor-chair'),
    row('broadcast', venueName(session.broadcastVenueId), 'floor-broadcast'),
    row('speaker', venueName(session.speakerVenueId), 'floor-speaker'),
    row('venue.mine', me?.muted ? t('muted') : t('venue.open'), 'floor-muted'),
    row('locked', session.locked ? t('locked') : '—', 'floor-locked'));
  if (session.state !== 'live') {
    state.wanted = null;
    teardown();
    setMedia('idle');
  }
}

function render() {
  renderSessions();
  renderFloor();
  $('join-button').disabled = !!state.wanted || !$('session').value;
  $('leave-button').disabled = !state.wanted;
}

async function main() {
  applyTo();
  setMedia('idle');
  const me = await api('/api/auth/me');
  replace($('who'), `${me.name} · `, h('span', { dataset: { i18n: `role.${me.role}` } }, t(`role.${me.role}`)));
  $('lang').addEventListener('click', () => { toggle(); render(); });
  $('logout').addEventListener('click', async () => { await api('/api/auth/logout', { method: 'POST' }); location.href = '/login.html'; });
  const venues = await api(`/api/venues?region=${encodeURIComponent(me.region)}`);
  const preset = new URLSearchParams(location.search);
  replace($('venue'), venues.map((v) => h('option', { value: v.id, selected: v.id === preset.get('venue') }, v.name)));
  $('venue').addEventListener('change', render);
  $('session').addEventListener('change', render);
  $('join').addEventListener('submit', (event) => {
    event.preventDefault();
    state.wanted = { venueId: $('venue').value, sessionId: $('session').value };
    state.attempt = 0;
    render();
    start();
  });
  $('leave-button').addEventListener('click', () => {
    state.wanted = null;
    teardown();
    setMedia('idle');
    render();
  });
  window.addEventListener('pagehide', teardown);
  onChange(render);
  const hub = await connect(me.region, showConnection);
  hub.on('MediaMoved', onMediaMoved);
  if (preset.get('session')) $('session').value = preset.get('session');
  render();
}

main().catch((e) => { if (e.message !== 'signed out') toast(e.message); });
