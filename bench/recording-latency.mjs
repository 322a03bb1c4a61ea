// Glass-to-glass latency of a public live broadcast. The source picture carries its own frame number as 24
// black-or-white blocks along its top edge (see bench/recording-latency.sh); frame N left the camera at
// t0 + N / fps. Two readings, run side by side:
//  - edge: the public playlist is polled every 100 ms; each new segment is fetched and decoded with ffmpeg, and
//    the age of its first and last frames when it appeared is taken (what the fastest player could do);
//  - players: Chromium opens /live.html without signing in and plays the broadcast with its hls.js, and a second
//    hls.js in the same page is tuned for low latency (liveSyncDurationCount 1); every 500 ms each video's current
//    picture is drawn to a canvas, its frame number read back, and its age taken.
// Usage: node --experimental-websocket bench/recording-latency.mjs BASE SESSION PROGRESS_FILE FPS SECONDS
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, session, progressFile, fpsText, secondsText] = process.argv.slice(2);
const fps = Number(fpsText);
const seconds = Number(secondsText);
const playlist = `${base}/api/public/broadcasts/${session}/hls/index.m3u8`;
const dir = mkdtempSync(join(tmpdir(), 'latency-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// t0 from the source's progress lines (frame=N, written as it goes): the smallest wall clock minus N / fps.
let t0 = Infinity;
function readT0() {
  try {
    const frames = [...readFileSync(progressFile, 'utf8').matchAll(/^frame=(\d+)$/gm)];
    if (frames.length) t0 = Math.min(t0, Date.now() - (Number(frames.at(-1)[1]) * 1000) / fps);
  } catch { /* not written yet */ }
}
const ageOf = (frame) => Date.now() - (t0 + (frame * 1000) / fps);

function decodeFrames(file) {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-vf', 'crop=576:16:0:4,scale=24:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 26 });
  const frames = [];
  for (let i = 0; i + 24 <= raw.length; i += 24) {
    let n = 0;
    for (let b = 0; b < 24; b++) if (raw[i + b] > 128) n += 2 ** b;
    frames.push(n);
  }
  return frames;
}

const edge = [];
async function watchEdge(until) {
  const seen = new Set();
  let first = true;
  while (Date.now() < until) {
    readT0();
    const text = await (await fetch(playlist)).text();
    const uris = text.split('\n').filter((l) => l && !l.startsWith('#'));
    for (const uri of uris) {
      if (seen.has(uri)) continue;
      seen.add(uri);
      if (first) continue; // segments already there when we came are of unknown age
      const at = Date.now();
      const file = join(dir, 'seg.ts');
      writeFileSync(file, Buffer.from(await (await fetch(`${base}/api/public/broadcasts/${session}/hls/${uri}`)).arrayBuffer()));
      const frames = decodeFrames(file);
      if (frames.length) edge.push({ uri, oldest: at - (t0 + (frames[0] * 1000) / fps), newest: at - (t0 + (frames.at(-1) * 1000) / fps), frames: frames.length });
    }
    first = false;
    await sleep(100);
  }
}

// Chromium through the DevTools protocol (no Playwright needed by a bench script).
async function players(until) {
  const port = 9300 + Math.floor(Math.random() * 500);
  const chromium = spawn('/usr/bin/chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required',
    `--remote-debugging-port=${port}`, `--user-data-dir=${dir}/profile`, 'about:blank'], { stdio: 'ignore' });
  try {
    let targets;
    for (let i = 0; i < 100 && !targets; i++) {
      try { targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json(); } catch { await sleep(100); }
    }
    const ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
    await new Promise((r) => ws.addEventListener('open', r));
    let id = 0;
    const pending = new Map();
    ws.addEventListener('message', (e) => { const m = JSON.parse(e.data); pending.get(m.id)?.(m); pending.delete(m.id); });
    const send = (method, params = {}) => new Promise((r) => { pending.set(++id, r); ws.send(JSON.stringify({ id, method, params })); });
    const evaluate = async (expression) => (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })).result?.result?.value;
    await send('Page.navigate', { url: `${base}/live.html` });
    for (let i = 0; i < 100 && !(await evaluate(`!!document.querySelector("#live-list button[data-session-id='${session}']")`)); i++) await sleep(200);
    await evaluate(`document.querySelector("#live-list button[data-session-id='${session}']").click(); true`);
    await evaluate(`(() => {
      const v = document.createElement('video'); v.id = 'tuned'; v.muted = true; v.autoplay = true; document.body.append(v);
      const h = new Hls({ enableWorker: false, liveSyncDurationCount: 1, liveMaxLatencyDurationCount: 3 }); h.loadSource(${JSON.stringify(playlist)}); h.attachMedia(v); v.play().catch(() => {});
      window.frameOf = (video) => { if (!video.videoWidth) return -1; const c = document.createElement('canvas'); c.width = 576; c.height = 16;
        c.getContext('2d').drawImage(video, 0, 4, 576, 16, 0, 0, 576, 16); const d = c.getContext('2d').getImageData(0, 0, 576, 16).data;
        let n = 0; for (let b = 0; b < 24; b++) { const x = b * 24 + 12, i = (8 * 576 + x) * 4; if (d[i] > 128) n += 2 ** b; } return n; };
      return true; })()`);
    const samples = { page: [], tuned: [] };
    while (Date.now() < until) {
      readT0();
      const frames = await evaluate(`[frameOf(document.getElementById('player')), frameOf(document.getElementById('tuned'))]`);
      if (frames?.[0] >= 0) samples.page.push(ageOf(frames[0]));
      if (frames?.[1] >= 0) samples.tuned.push(ageOf(frames[1]));
      await sleep(500);
    }
    ws.close();
    return samples;
  } finally {
    chromium.kill('SIGKILL');
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return s.length ? `median ${(at(0.5) / 1000).toFixed(2)} s, min ${(s[0] / 1000).toFixed(2)} s, max ${(s.at(-1) / 1000).toFixed(2)} s (${s.length} samples)` : 'no samples';
};

const until = Date.now() + seconds * 1000;
const [, seen] = await Promise.all([watchEdge(until), players(until)]);
const late = (xs) => xs.slice(Math.floor(xs.length * 0.25)); // the players' first quarter is their start-up
console.log(`edge, newest frame of a segment when it appears:  ${stats(edge.map((e) => e.newest))}`);
console.log(`edge, oldest frame of a segment when it appears:  ${stats(edge.map((e) => e.oldest))}`);
console.log(`/live.html as shipped (3 s behind the edge):      ${stats(late(seen.page))}`);
console.log(`hls.js with liveSyncDurationCount 1:               ${stats(late(seen.tuned))}`);
