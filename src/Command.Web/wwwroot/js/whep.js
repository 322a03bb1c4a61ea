// A WHEP viewer, the receiving twin of the venue page's WHIP join: post a recvonly offer once ICE
// gathering is complete (the bridge is ICE-lite and takes no trickled candidates), take the 201
// answer and its Location, and DELETE that Location to stop watching. Sent with the sign-in cookie,
// as api.js sends every request.
export class WhepError extends Error {
  constructor(status, detail, retryAfterSeconds) {
    super(detail || `${status}`);
    this.status = status;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// Resolves when gathering completes, or after gatherMs with the candidates found so far.
function gathered(pc, gatherMs) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, gatherMs);
    function done() {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    }
    function check() {
      if (pc.iceGatheringState === 'complete') done();
    }
    pc.addEventListener('icegatheringstatechange', check);
  });
}

async function problem(response) {
  const seconds = Number(response.headers.get('retry-after'));
  let detail = '';
  try {
    const body = await response.json();
    detail = body?.detail ?? body?.title ?? '';
  } catch {
    // A body that is not problem details leaves only the status to report.
  }
  return new WhepError(response.status, detail, Number.isFinite(seconds) && seconds > 0 ? seconds : 0);
}

// Returns { pc, stream, location, audio } with the offer answered, or throws a WhepError (status 0: no answer at all).
export async function watch(url, { audio = false, gatherMs = 2000 } = {}) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  try {
    pc.addTransceiver('video', { direction: 'recvonly' });
    if (audio) pc.addTransceiver('audio', { direction: 'recvonly' });
    const stream = new MediaStream(pc.getReceivers().map((r) => r.track));
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc, gatherMs);
    const response = await fetch(url, {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription.sdp,
    }).catch(() => null);
    if (!response) throw new WhepError(0, '', 0);
    if (response.status !== 201) throw await problem(response);
    const where = response.headers.get('location');
    const answer = await response.text();
    if (!where) throw new WhepError(response.status, 'no Location', 0);
    const resource = new URL(where, new URL(url, window.location.href)).href;
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (e) {
      release(resource);
      throw e;
    }
    // A bridge may refuse a section it does not send (port 0): only an accepted audio section is heard.
    const hearing = pc.getTransceivers().some((t) => t.receiver.track.kind === 'audio' && t.currentDirection === 'recvonly');
    return { pc, stream, location: resource, audio: hearing };
  } catch (e) {
    pc.close();
    throw e;
  }
}

// Ends a watch on the server; keepalive lets it leave while the page unloads.
export function release(location) {
  if (!location) return;
  fetch(location, { method: 'DELETE', credentials: 'same-origin', keepalive: true }).catch(() => {});
}
