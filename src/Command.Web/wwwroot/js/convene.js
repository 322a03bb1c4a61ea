// Convening a session: a title, a kind, a chair and the venues ticked in the region tree.
import { h, replace } from './dom.js';
import { venuePicker } from './picker.js';
import { $, act, venues } from './ui.js';

let picker = null;

// The chair list follows the venues; it is left alone while they stay the same, so an open list does not close.
export function chairOptions(select, chosen) {
  const keep = chosen ?? select.value;
  const list = venues();
  const key = JSON.stringify(list.map((v) => [v.id, v.name]));
  if (select.dataset.built === key) return;
  select.dataset.built = key;
  replace(select, list.map((v) => h('option', { value: v.id }, v.name)));
  if (keep && [...select.options].some((o) => o.value === keep)) select.value = keep;
}

export function renderConvene() {
  chairOptions($('new-session-chair'));
  picker.render();
}

export function initConvene() {
  const form = $('new-session');
  picker = venuePicker($('new-session-venues'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chairVenueId = form.chair.value;
    const venueIds = picker.selected().filter((v) => v !== chairVenueId);
    const created = await act('/api/sessions', { title: form.title.value, kind: form.kind.value, chairVenueId, venueIds });
    if (created) {
      form.title.value = '';
      picker.set([]);
    }
  });
}
