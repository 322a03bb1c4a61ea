import { api } from './api.js';
import { applyTo, toggle } from './i18n.js';

applyTo();
document.getElementById('lang').addEventListener('click', toggle);
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = document.getElementById('login-error');
  error.textContent = '';
  try {
    await api('/api/auth/login', { method: 'POST', body: { username: form.get('username'), password: form.get('password') } });
    // Only a path on this site, so a crafted link cannot send the user elsewhere after signing in.
    const next = new URLSearchParams(location.search).get('next') ?? '/';
    location.href = /^\/(?![\/\\])/.test(next) ? next : '/';
  } catch (e) {
    error.textContent = e.message;
  }
});
