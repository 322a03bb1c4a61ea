// The meeting book: booking a meeting with its conflicts shown before saving, and each booking's
// check-in board (签到) for the session of its coming occurrence.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { model } from './live.js';
import { venuePicker } from './picker.js';
import { chairOptions } from './convene.js';
import { $, act, toast, venueName } from './ui.js';

let picker = null;
let asked = 0;
let checkTimer = null;

// The form's fields as a booking request; datetime-local is the browser's local time.
function request() {
  const form = $('new-booking');
  const start = form.start.value ? new Date(form.start.value) : null;
  return {
    title: form.title.value.trim(),
    chairVenueId: form.chair.value,
    venueIds: picker.selected().filter((v) => v !== form.chair.value),
    start: start && !Number.isNaN(start.getTime()) ? start.toISOString() : null,
    durationMinutes: Number(form.duration.value),
    recurrence: form.recurrence.value,
    occurrences: form.recurrence.value === 'none' ? 1 : Number(form.occurrences.value),
    checkInLeadMinutes: Number(form.lead.value),
  };
}

function conflictLine(c) {
  const when = c.end ? `${formatDateTime(c.start)} – ${formatDateTime(c.end)}` : `${formatDateTime(c.start)} – ${t('conflict.noEnd')}`;
  return h('li', { class: `conflict-${c.kind}`, dataset: { venue: c.venueId, conflict: c.id } },
    h('strong', {}, venueName(c.venueId)), ' ',
    c.kind === 'booking' ? t('conflict.booked') : t('conflict.live'),
    ` “${c.title}” · ${when}`);
}

// The chosen time in the page's own date format, whatever the browser shows in its date field.
function showWhen(r) {
  const end = r.start && r.durationMinutes > 0 ? new Date(Date.parse(r.start) + r.durationMinutes * 60000) : null;
  $('booking-when').textContent = r.start ? `${t('booking.when')}: ${formatDateTime(r.start)} – ${formatDateTime(end)}` : '';
}

// Asks the server what the booking would collide with; only the latest answer is shown.
async function checkConflicts() {
  const r = request();
  showWhen(r);
  const box = $('booking-conflicts');
  const save = $('new-booking').querySelector('button[type=submit]');
  if (!r.start || !r.chairVenueId || !(r.durationMinutes > 0)) {
    replace(box);
    box.dataset.state = 'idle';
    save.disabled = false;
    return;
  }
  const mine = ++asked;
  box.dataset.state = 'checking';
  const query = new URLSearchParams({
    chairVenueId: r.chairVenueId, start: r.start, durationMinutes: r.durationMinutes, recurrence: r.recurrence, occurrences: r.occurrences,
  });
  for (const v of r.venueIds) query.append('venueId', v);
  let conflicts;
  try {
    conflicts = await api(`/api/schedules/conflicts?${query}`);
  } catch (e) {
    if (mine !== asked) return;
    replace(box, h('p', { class: 'error' }, e.message));
    box.dataset.state = 'error';
    save.disabled = false;
    return;
  }
  if (mine !== asked) return;
  const booked = conflicts.filter((c) => c.kind === 'booking');
  // A clash with another booking would be refused; a live session may end in time, so it only warns.
  save.disabled = booked.length > 0;
  box.dataset.state = conflicts.length ? 'conflicts' : 'clear';
  replace(box, conflicts.length
    ? [h('p', {}, booked.length ? t('conflict.blocking') : t('conflict.warning')), h('ul', {}, conflicts.map(conflictLine))]
    : h('p', { class: 'clear' }, `✔ ${t('conflict.none')}`));
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkConflicts, 250);
}

export function initBookings() {
  const form = $('new-booking');
  picker = venuePicker($('new-booking-venues'), { onChange: scheduleCheck });
  form.addEventListener('input', scheduleCheck);
  form.addEventListener('change', scheduleCheck);
  form.recurrence.addEventListener('change', () => { form.occurrences.disabled = form.recurrence.value === 'none'; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const r = request();
    if (!r.start) {
      toast(t('booking.startNeeded'));
      return;
    }
    const booking = await act('/api/schedules', r);
    if (booking) {
      toast(`${t('booking.saved')}: ${booking.request.title} · ${formatDateTime(booking.request.start)}`);
      form.title.value = '';
      picker.set([]);
    }
  });
}

function checkInBoard(session) {
  const open = session.state === 'live' || session.checkInOpen;
  const s = `/api/sessions/${session.id}`;
  const venues = session.venues.filter((p) => p.status !== 'left' && p.status !== 'replaced');
  const done = venues.filter((p) => p.checkedIn).length;
  return h('div', { class: 'checkin-board', dataset: { checkinSession: session.id } },
    h('p', {}, h('strong', {}, t('checkIn.board')), ' ',
      h('span', { class: 'checkin-count' }, `${done}/${venues.length}`), ' ',
      h('small', {}, open ? t('checkIn.open') : `${t('checkIn.opensAt')} ${formatDateTime(session.checkInOpensAt)}`)),
    h('table', {}, h('tbody', {}, venues.map((p) => h('tr', { dataset: { venue: p.venueId } },
      h('td', {}, venueName(p.venueId), p.venueId === session.chairVenueId ? h('small', {}, t('chair')) : null),
      h('td', {}, h('span', { class: `badge ci-${p.checkedIn ? 'yes' : 'no'}` }, p.checkedIn ? `✔ ${t('checkedIn')}` : t('notCheckedIn'))),
      h('td', {}, open && !p.checkedIn &&
        h('button', { dataset: { action: 'checkin' }, onclick: () => act(`${s}/checkin`, { venueId: p.venueId }) }, t('checkIn'))))))));
}

export function renderBookingForm() {
  chairOptions($('new-booking').chair);
  picker.render();
}

export function renderBookings() {
  const bookings = [...model.bookings.values()].map((e) => e.value).filter((b) => !b.cancelled);
  replace($('bookings'), bookings.length ? bookings.map((b) => {
    const current = b.sessionIds.map((id) => model.sessions.get(id)?.value).filter((s) => s && s.state !== 'ended').at(-1);
    const r = b.request;
    return h('article', { class: 'booking', dataset: { booking: b.id } },
      h('h3', {}, r.title),
      h('p', {}, `${formatDateTime(r.start)} · ${r.durationMinutes}${t('booking.minutes')}`,
        r.recurrence !== 'none' ? ` · ${t(`rec.${r.recurrence}`)} ×${r.occurrences}` : '',
        b.nextOccurrence ? h('small', {}, `${t('next')}: ${formatDateTime(b.nextOccurrence)}`) : null),
      h('p', {}, h('small', {}, `${t('chair')}: ${venueName(r.chairVenueId)} · ${r.venueIds.map(venueName).join('、')}`)),
      current && checkInBoard(current));
  }) : h('p', { class: 'empty' }, t('schedule.none')));
}
