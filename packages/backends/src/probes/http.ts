// Small JSON-over-HTTP helper for the etcd gateway, Consul and Toxiproxy APIs.

export interface HttpResult {
  status: number;
  body: string;
}

export async function http(
  url: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const requestInit: RequestInit = {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    signal: AbortSignal.timeout(init.timeoutMs ?? 2000),
  };
  if (init.body !== undefined) {
    requestInit.body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    requestInit.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(url, requestInit);
  return { status: res.status, body: await res.text() };
}

/** Like `http` but throws unless the status is 2xx, and parses the body as JSON. */
export async function httpJson<T>(
  url: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<T> {
  const res = await http(url, init);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`${init.method ?? 'GET'} ${url} -> ${res.status} ${res.body.trim().slice(0, 200)}`);
  }
  return (res.body === '' ? undefined : JSON.parse(res.body)) as T;
}
