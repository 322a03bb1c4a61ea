// JSON over fetch with the sign-in cookie; a problem-details answer becomes an Error with its detail.
// While the cluster or its store is briefly away the server answers 503 with Retry-After: requests that
// are safe to repeat (reads, and actions on an existing entity) wait and try again by themselves.
const RETRIES = 6;

export async function api(path, { method = 'GET', body } = {}) {
  for (let attempt = 0; ; attempt++) {
    const response = await send(path, method, body);
    if (response.status === 503 && attempt < RETRIES && repeatable(path, method)) {
      await delay(retryAfter(response, attempt));
      continue;
    }
    return read(path, response);
  }
}

function send(path, method, body) {
  return fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => new Response(null, { status: 503 }));
}

async function read(path, response) {
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

// Creating something (POST to a collection such as /api/sessions) is not repeated: a lost answer may hide a success.
function repeatable(path, method) {
  if (method !== 'POST') return true;
  return path.split('?')[0].split('/').filter(Boolean).length > 3;
}

function retryAfter(response, attempt) {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Math.min(500 * 2 ** attempt, 5000);
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
