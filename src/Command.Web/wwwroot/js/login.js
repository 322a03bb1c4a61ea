import { applyTo, t, toggle } from './i18n.js';

// The problem type the server answers when the password was right and a one-time code is needed too.
const CODE_REQUIRED = 'urn:command:problem:code-required';

applyTo();
document.getElementById('lang').addEventListener('click', toggle);
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = document.getElementById('login-error');
  const codeField = document.getElementById('code-field');
  error.textContent = '';
  const body = { username: form.get('username'), password: form.get('password') };
  if (!codeField.hidden && form.get('code')) body.code = form.get('code');
  try {
    const response = await fetch('/api/auth/login', {
      method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!response.ok) {
      const text = await response.text();
      const problem = text ? JSON.parse(text) : {};
      if (problem.type === CODE_REQUIRED || problem.codeRequired) {
        codeField.hidden = false;
        document.getElementById('code').required = true;
        document.getElementById('code').focus();
        error.textContent = t('login.codeNeeded');
        return;
      }
      error.textContent = problem.detail ?? problem.title ?? `${response.status}`;
      return;
    }
    // Only a path on this site, so a crafted link cannot send the user elsewhere after signing in.
    const next = new URLSearchParams(location.search).get('next') ?? '/';
    location.href = /^\/(?![\/\\])/.test(next) ? next : '/';
  } catch (e) {
    error.textContent = e.message;
  }
});
