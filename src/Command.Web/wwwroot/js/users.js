import { api } from './api.js';
import { h, replace } from './dom.js';
import { applyTo, t, toggle } from './i18n.js';

const ROLES = ['admin', 'chair-operator', 'emergency-officer', 'meeting-operator', 'viewer'];
const $ = (id) => document.getElementById(id);

function roleSelect(selected) {
  return h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r, selected: r === selected }, r)));
}

// Every action reports its outcome in the page, then reloads the list.
async function act(work, message = t('users.done')) {
  $('users-error').textContent = '';
  $('users-message').textContent = '';
  try {
    const result = await work();
    $('users-message').textContent = typeof result === 'string' ? result : message;
    await load();
  } catch (e) {
    $('users-error').textContent = e.message;
  }
}

function row(user) {
  const path = `/api/users/${encodeURIComponent(user.name)}`;
  const configured = user.source === 'configuration';
  const role = roleSelect(user.role);
  const region = h('input', { value: user.region, size: 8, 'aria-label': t('users.region') });
  const password = h('input', { type: 'password', autocomplete: 'new-password', placeholder: t('users.newPassword') });
  const actions = configured ? [] : [
    h('button', { type: 'button', onclick: () => act(() => api(path, { method: 'PUT', body: { role: role.value, region: region.value.trim() } })) }, t('users.save')),
    password,
    h('button', { type: 'button', onclick: () => act(() => api(`${path}/password`, { method: 'POST', body: { newPassword: password.value } })) }, t('users.reset')),
    user.disabled
      ? h('button', { type: 'button', onclick: () => act(() => api(`${path}/enable`, { method: 'POST' })) }, t('users.enable'))
      : h('button', { type: 'button', onclick: () => act(() => api(`${path}/disable`, { method: 'POST' })) }, t('users.disable')),
    user.secondFactor
      ? h('button', { type: 'button', onclick: () => act(() => api(`${path}/totp`, { method: 'DELETE' })) }, t('users.unenrol'))
      : h('button', {
        type: 'button',
        onclick: () => act(async () => {
          const enrolment = await api(`${path}/totp`, { method: 'POST' });
          return `${t('users.secretOnce')} ${enrolment.secret}  (${enrolment.uri})`;
        }),
      }, t('users.enrol')),
  ];
  if (configured) {
    role.disabled = true;
    region.disabled = true;
  }
  return h('tr', {},
    h('td', {}, user.name), h('td', {}, role), h('td', {}, region),
    h('td', {}, t(user.disabled ? 'users.disabled' : 'users.enabled')),
    h('td', {}, user.secondFactor ? '✓' : '—'),
    h('td', {}, t(configured ? 'users.config' : 'users.store')),
    h('td', { class: 'actions' }, actions));
}

async function load() {
  const users = await api('/api/users');
  replace(document.querySelector('#users tbody'), users.map(row));
}

applyTo();
$('lang').addEventListener('click', async () => { toggle(); await load(); });
replace($('new-user-role'), ROLES.map((r) => h('option', { value: r, selected: r === 'viewer' }, r)));
$('new-user').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  act(async () => {
    await api('/api/users', { method: 'POST', body: { name: form.get('name'), password: form.get('password'), role: form.get('role'), region: form.get('region') } });
    event.target.reset();
  });
});
load().catch((e) => { $('users-error').textContent = e.message; });
