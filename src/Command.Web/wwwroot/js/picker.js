// A tree of checkboxes by region for choosing venues: ticking a region ticks everything under it (a district
// brings its townships), and a region shows as partly ticked when only some of its venues are. Backup venues
// stand in for a failed venue rather than join by region, so only ticking them one by one selects them.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { model, regionTree } from './live.js';

export function venuePicker(container, { onChange = () => {} } = {}) {
  let chosen = new Set();
  let built = '';

  const boxes = () => [...container.querySelectorAll('input[data-venue]')];

  function sync() {
    chosen = new Set(boxes().filter((b) => b.checked).map((b) => b.value));
    // Deepest regions first, so a parent reads its children's settled state.
    for (const region of [...container.querySelectorAll('input[data-region]')].reverse()) {
      const item = region.closest('li');
      const inner = [...item.querySelectorAll(':scope > ul > li > label > input')];
      const counted = inner.filter((b) => b.dataset.region || b.dataset.kind !== 'backup');
      const on = counted.filter((b) => b.checked && !b.indeterminate).length;
      const some = counted.some((b) => b.checked || b.indeterminate);
      region.checked = counted.length > 0 && on === counted.length;
      region.indeterminate = !region.checked && some;
    }
    // The tree scrolls; the list of what is ticked stays in view.
    const summary = container.querySelector('.picker-summary');
    if (summary) {
      const names = [...chosen].map((id) => model.venues.get(id)?.value.name ?? id);
      summary.textContent = `${t('picker.chosen')} (${names.length}): ${names.join('、') || '—'}`;
    }
  }

  function tickRegion(input) {
    const item = input.closest('li');
    for (const box of item.querySelectorAll('ul input')) {
      if (box.dataset.kind === 'backup') continue;
      box.checked = input.checked;
      box.indeterminate = false;
    }
  }

  function venueItem(v) {
    return h('li', {},
      h('label', {}, h('input', {
        type: 'checkbox', value: v.id, checked: chosen.has(v.id), dataset: { venue: v.id, kind: v.kind },
      }), ' ', v.name, v.kind === 'backup' ? h('small', {}, t('picker.backup')) : null));
  }

  function regionItem(node) {
    const own = [...model.venues.values()].map((e) => e.value).filter((v) => v.regionCode === node.code);
    return h('li', { dataset: { pickerRegion: node.code } },
      h('label', { class: `level-${node.level}` },
        h('input', { type: 'checkbox', dataset: { region: node.code } }), ' ', h('strong', {}, node.name), ' ', h('small', {}, t(`level.${node.level}`))),
      h('ul', {}, own.map(venueItem), node.children.map(regionItem)));
  }

  container.classList.add('venue-picker');
  container.addEventListener('change', (event) => {
    if (event.target.dataset.region) tickRegion(event.target);
    sync();
    onChange();
  });

  return {
    // Rebuilt only when the regions, the venues or the language change (not on every status change, which would
    // lose the operator's scroll position); what was ticked stays ticked.
    render() {
      const key = JSON.stringify([regionTree, [...model.venues.values()].map(({ value: v }) => [v.id, v.name, v.kind, v.regionCode]), t('picker.backup')]);
      if (key === built) return;
      built = key;
      replace(container, regionTree ? h('ul', { class: 'picker-root' }, regionItem(regionTree)) : null, h('p', { class: 'picker-summary' }));
      sync();
    },
    selected: () => [...chosen],
    set(ids) {
      for (const box of boxes()) box.checked = ids.includes(box.value);
      sync();
      onChange();
    },
    add(ids) {
      for (const box of boxes()) if (ids.includes(box.value)) box.checked = true;
      sync();
      onChange();
    },
    tickRegion(code, on = true) {
      const input = container.querySelector(`input[data-region='${code}']`);
      if (!input) return;
      input.checked = on;
      tickRegion(input);
      sync();
      onChange();
    },
  };
}
