// Serves the browser UI (ui/) on the coordinator's HTTP port. Today a placeholder page.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const INDEX = fileURLToPath(new URL('../../ui/index.html', import.meta.url));

export async function serveUi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' || (path !== '/' && path !== '/ui' && path !== '/ui/')) return false;
  const html = await readFile(INDEX);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': html.length });
  res.end(html);
  return true;
}
