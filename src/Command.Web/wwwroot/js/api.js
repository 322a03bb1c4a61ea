// JSON over fetch with the sign-in cookie; a problem-details answer becomes an Error with its detail.
export async function api(path, { method = 'GET', body } = {}) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && path !== '/api/auth/login' && path !== '/api/auth/token') {
    // Back to this page after signing in; the dashboard is where sign-in leads anyway.
    const here = location.pathname + location.search;
    location.href = here === '/' ? '/login.html' : `/login.html?next=${encodeURIComponent(here)}`;
    throw new Error('signed out');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(data?.detail ?? data?.title ?? `${response.status}`);
  return data;
}
