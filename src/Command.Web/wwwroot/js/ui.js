// Small pieces every dashboard panel shares: the toast, actions that report their error there, badges and names.
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { model, regionTree } from './live.js';

export const $ = (id) => document.getElementById(id);

export function toast(message) {
  $('toast').textContent = message;
  setTimeout(() => { if ($('toast').textContent === message) $('toast').textContent = ''; }, 5000);
}

// Posts an action; the answer, or null after showing the error.
export async function act(path, body) {
  try {
    return await api(path, { method: 'POST', body });
  } catch (e) {
    toast(e.message);
    return null;
  }
}

export async function remove(path) {
  try {
    await api(path, { method: 'DELETE' });
  } catch (e) {
    toast(e.message);
  }
}

// The five states a venue can be seen in, each with one colour that nothing else on the page uses (see the legend).
const meanings = {
  'status-online': 'online',
  'status-in-session': 'in-session',
  'status-offline': 'offline',
  'leg-connected': 'in-session',
  'leg-calling': 'calling',
  'leg-waiting': 'calling',
  'leg-failed': 'failed',
  'leg-dropped': 'failed',
};

export function badge(kind, value, label) {
  const meaning = meanings[`${kind}-${value}`];
  return h('span', { class: meaning ? `badge ${kind}-${value} m-${meaning}` : `badge ${kind}-${value}` }, label);
}

export function venueName(id) {
  return model.venues.get(id)?.value.name ?? id;
}

export function venues() {
  return [...model.venues.values()].map((e) => e.value);
}

// Regions of the signed-in user's subtree, found by code, with the path from the top.
export function findRegion(code, node = regionTree, path = []) {
  if (!node) return null;
  const here = [...path, node];
  if (node.code === code) return here;
  for (const child of node.children) {
    const found = findRegion(code, child, here);
    if (found) return found;
  }
  return null;
}

export function regionName(code) {
  return findRegion(code)?.at(-1).name ?? code;
}

export const roman = ['', 'I', 'II', 'III', 'IV'];

export function severityLabel(severity) {
  return `${roman[severity] ?? severity} ${t(`sev.${severity}`)}`;
}
