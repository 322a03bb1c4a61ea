// Incidents: opening one and convening its session in one step, and the incident view (severity, commanding
// level, linked sessions and feeds, timeline, escalation with a reason, closing).
import { h, replace } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { model, regionTree } from './live.js';
import { venuePicker } from './picker.js';
import { recordingsBlock } from './recordings.js';
import { chairOptions } from './convene.js';
import { $, act, badge, findRegion, regionName, severityLabel, toast, venueName } from './ui.js';

export const incidentTypes = ['flood', 'typhoon', 'landslide', 'fire', 'earthquake', 'hazmat', 'traffic', 'health', 'security', 'other'];

const ranks = { province: 1, city: 2, district: 3, township: 4 };

// The same rule as the server's CommandLevels: I and II the province, III the city, IV the district,
// never below the incident's own region. Null when the commanding region is above the user's tree.
export function commandRegion(regionCode, severity) {
  const level = severity <= 2 ? 'province' : severity === 3 ? 'city' : 'district';
  const chain = findRegion(regionCode);
  if (!chain) return null;
  return [...chain].reverse().find((r) => ranks[r.level] <= ranks[level]) ?? null;
}

function typeName(type) {
  return incidentTypes.includes(type) ? t(`itype.${type}`) : type;
}

let picker = null;
let chairTouched = false;

function flatRegions(node, depth = 0) {
  return node ? [{ node, depth }, ...node.children.flatMap((c) => flatRegions(c, depth + 1))] : [];
}

// The chair follows severity and region until the officer picks another one by hand.
function preselect() {
  const form = $('new-incident');
  const commanding = commandRegion(form.region.value, Number(form.severity.value));
  const note = $('new-incident-level');
  if (commanding) {
    note.textContent = `${t('level')}: ${commanding.name} (${t(`level.${commanding.level}`)})`;
    if (!chairTouched && commanding.commandVenueId) form.chair.value = commanding.commandVenueId;
  } else {
    note.textContent = `${t('level')}: ${t('incident.above')}`;
    if (!chairTouched) form.chair.value = '';
  }
}

// Who joins by default: the area where it happened (a district or township with everything in it, a city or province
// through its own and its children's command venues) and each level between it and the commanding one. The officer
// may tick more or fewer before convening.
function defaultVenues() {
  const form = $('new-incident');
  const chain = findRegion(form.region.value);
  if (!chain) return;
  const region = chain.at(-1);
  const commanding = commandRegion(region.code, Number(form.severity.value));
  picker.set([]);
  if (region.level === 'district' || region.level === 'township') {
    picker.tickRegion(region.code);
  } else {
    picker.add([region, ...region.children].map((r) => r.commandVenueId).filter(Boolean));
  }
  picker.add(chain.slice(commanding ? chain.indexOf(commanding) + 1 : 0, -1).map((r) => r.commandVenueId).filter(Boolean));
}

// Lists are rebuilt only when what they show changes, so a list the officer has open does not close under them.
function fill(select, key, options) {
  if (select.dataset.built === key) return;
  const value = select.value;
  select.dataset.built = key;
  replace(select, options);
  if (value && [...select.options].some((o) => o.value === value)) select.value = value;
}

export function renderIncidentForm() {
  const form = $('new-incident');
  const regions = flatRegions(regionTree);
  const first = !form.region.value;
  fill(form.region, JSON.stringify(regions.map(({ node }) => [node.code, node.name])), regions.map(({ node, depth }) =>
    h('option', { value: node.code }, `${'\u3000'.repeat(depth)}${node.name}`)));
  fill(form.severity, t('sev.4'), [1, 2, 3, 4].map((s) => h('option', { value: s, selected: s === 4 }, severityLabel(s))));
  const chair = form.chair.value;
  const before = form.chair.dataset.built;
  chairOptions(form.chair, chair);
  if (form.chair.dataset.built !== before) form.chair.prepend(h('option', { value: '', dataset: { i18n: 'incident.autoChair' } }, t('incident.autoChair')));
  form.chair.value = chair;
  picker.render();
  preselect();
  if (first && form.region.value) defaultVenues();
}

export function initIncidents() {
  const form = $('new-incident');
  replace(form.type, incidentTypes.map((k) => h('option', { value: k, dataset: { i18n: `itype.${k}` } }, t(`itype.${k}`))));
  picker = venuePicker($('new-incident-venues'));
  const changed = () => {
    preselect();
    defaultVenues();
  };
  form.severity.addEventListener('change', changed);
  form.region.addEventListener('change', changed);
  form.chair.addEventListener('change', () => { chairTouched = true; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = form.title.value.trim();
    const incident = await act('/api/incidents', {
      title, type: form.type.value, severity: Number(form.severity.value), regionCode: form.region.value,
      description: form.description.value.trim() || null,
    });
    if (!incident) return;
    const chairVenueId = form.chair.value || incident.commandVenueId;
    const session = await act('/api/sessions', {
      title, kind: 'emergency', chairVenueId, incidentId: incident.id,
      venueIds: picker.selected().filter((v) => v !== chairVenueId),
    });
    if (session) {
      form.title.value = '';
      form.description.value = '';
      chairTouched = false;
      toast(`${t('incident.convened')}: ${title}`);
    }
  });
}

// Escalation asks why; the reason goes into the timeline and the audit trail.
function escalate(incident) {
  const reason = h('textarea', { name: 'reason', rows: 3, placeholder: t('escalate.reasonHint') });
  const dialog = h('dialog', { class: 'escalate-incident', dataset: { incident: incident.id } });
  const next = incident.severity - 1;
  dialog.append(h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) {
        toast(t('escalate.reasonNeeded'));
        return;
      }
      dialog.close();
      await act(`/api/incidents/${incident.id}/escalate`, { reason: reason.value.trim() });
    },
  },
  h('h3', {}, `${t('escalate')} · ${incident.title}`),
  h('p', {}, `${severityLabel(incident.severity)} → ${severityLabel(next)}`),
  h('label', {}, `${t('escalate.reason')} `, reason),
  h('p', { class: 'actions' },
    h('button', { type: 'submit', class: 'danger', dataset: { action: 'confirm-escalate' } }, t('escalate')),
    h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel')))));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

// Closing asks what becomes of the incident's running sessions; the dialog lives outside the re-rendered list.
function closeIncident(incident) {
  const path = `/api/incidents/${incident.id}/status`;
  const running = incident.sessionIds.filter((id) => model.sessions.get(id)?.value.state !== 'ended');
  if (!running.length) {
    act(path, { status: 'closed' });
    return;
  }
  const choice = h('select', { name: 'sessions' },
    h('option', { value: 'end' }, t('close.end')), h('option', { value: 'keep' }, t('close.keep')));
  const reason = h('input', { name: 'reason', placeholder: t('close.reason') });
  const dialog = h('dialog', { class: 'close-incident', dataset: { incident: incident.id } });
  const form = h('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      const keep = choice.value === 'keep';
      if (keep && !reason.value.trim()) {
        toast(t('close.reasonNeeded'));
        reason.focus();
        return;
      }
      dialog.close();
      await act(path, { status: 'closed', sessions: choice.value, reason: keep ? reason.value.trim() : undefined });
    },
  },
  h('h3', {}, `${t('close')} · ${incident.title}`),
  h('p', {}, `${t('close.running')}: ${running.map((id) => model.sessions.get(id)?.value.title ?? id).join(' · ')}`),
  h('label', {}, `${t('close.choice')} `, choice),
  h('label', {}, `${t('close.reasonLabel')} `, reason),
  h('p', { class: 'actions' },
    h('button', { type: 'submit', class: 'danger', dataset: { action: 'confirm-close' } }, t('close')),
    h('button', { type: 'button', onclick: () => dialog.close() }, t('cancel'))));
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

// Camera feeds are named from the session cards' feed list when it has them.
let feedName = (id) => id;
export function useFeedNames(lookup) {
  feedName = lookup;
}

// An open incident shows its full view until folded, a closed one only when unfolded; kept across re-renders.
const folded = new Set();
const unfolded = new Set();

function linkedSession(id) {
  const s = model.sessions.get(id)?.value;
  return h('li', { dataset: { linkedSession: id } },
    s ? [s.title, ' ', badge('state', s.state, t(`state.${s.state}`)), h('small', {}, `${t('chair')}: ${venueName(s.chairVenueId)}`), recordingsBlock(s)] : id);
}

function incidentCard(i) {
  const open = i.status === 'closed' ? unfolded.has(i.id) : !folded.has(i.id);
  return h('article', { class: `incident sev-${i.severity}`, dataset: { incident: i.id } },
    h('header', {},
      badge('sev', i.severity, severityLabel(i.severity)),
      h('h3', {}, i.title),
      badge('is', i.status, t(`is.${i.status}`))),
    i.description && h('p', { class: 'description' }, i.description),
    h('dl', { class: 'facts' },
      h('dt', {}, t('incident.type')), h('dd', { class: 'type' }, typeName(i.type)),
      h('dt', {}, t('incident.region')), h('dd', { class: 'region' }, regionName(i.regionCode)),
      h('dt', {}, t('level')), h('dd', { class: 'command' },
        `${t(`level.${i.commandLevel}`)} · ${regionName(i.commandRegionCode)} · ${venueName(i.commandVenueId ?? '')}`),
      h('dt', {}, t('incident.reported')), h('dd', {}, formatDateTime(i.reportedAt))),
    h('div', { class: 'controls' },
      i.status !== 'closed' && i.severity > 1 &&
        h('button', { dataset: { action: 'escalate' }, onclick: () => escalate(i) }, t('escalate')),
      i.status !== 'closed' &&
        h('button', { dataset: { action: 'close' }, class: 'danger', onclick: () => closeIncident(i) }, t('close'))),
    h('details', {
      class: 'incident-view', open,
      ontoggle: (event) => {
        if (event.target.open) { unfolded.add(i.id); folded.delete(i.id); } else { folded.add(i.id); unfolded.delete(i.id); }
      },
    },
    h('summary', {}, `${t('incident.sessions')} (${i.sessionIds.length}) · ${t('feeds')} (${i.feedIds.length}) · ${t('timeline')} (${i.timeline.length})`),
    h('h4', {}, t('incident.sessions')),
    i.sessionIds.length ? h('ul', { class: 'linked-sessions' }, i.sessionIds.map(linkedSession)) : h('p', { class: 'empty' }, t('incident.noSessions')),
    h('h4', {}, t('feeds')),
    i.feedIds.length ? h('ul', { class: 'linked-feeds' }, i.feedIds.map((f) => h('li', { dataset: { feed: f } }, feedName(f)))) : h('p', { class: 'empty' }, t('incident.noFeeds')),
    h('h4', {}, t('timeline')),
    h('ol', { class: 'timeline' }, i.timeline.map((e) => h('li', {},
      h('time', { datetime: e.at }, formatDateTime(e.at)), ' ', h('strong', {}, actionName(e.action)), ` · ${e.actor} · ${e.detail}`)))));
}

const knownActions = [
  'reported', 'escalated', 'escalation-refused', 'session-linked', 'feed-attached', 'feed-detached', 'incident-closed',
  'session-kept', 'session-ended', 'session-settled', 'created', 'started', 'ended', 'check-in-opened', 'checked-in',
  'broadcast', 'view', 'rollcall', 'poll', 'poll-stopped', 'backup', 'auto-backup', 'preempted', 'venue-back', 'venue-removed',
  'mute', 'unmute', 'locked', 'unlocked', 'responding', 'closed', 'leg-calling', 'leg-connected', 'leg-failed', 'leg-dropped', 'leg-ended',
];

function actionName(action) {
  return knownActions.includes(action) ? t(`ta.${action}`) : action;
}

export function renderIncidents() {
  const incidents = [...model.incidents.values()].map((e) => e.value)
    .sort((a, b) => (a.status === 'closed') - (b.status === 'closed') || a.severity - b.severity);
  replace($('incidents'), incidents.length ? incidents.map(incidentCard) : h('p', { class: 'empty' }, t('incidents.none')));
}

