import type { IncomingMessage } from 'node:http';

export type Args = Record<string, unknown>;

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Decodes a Web API request body the way Slack accepts them. @slack/web-api 8 sends
 * `application/x-www-form-urlencoded` with complex arguments (`blocks`, `attachments`, `files`) as
 * JSON strings (WebClient.serializeBody in node_modules/@slack/web-api/dist/WebClient.js), and
 * `multipart/form-data` when an argument is a Buffer; other clients send `application/json`.
 * Those JSON strings are decoded so every recorded call has `blocks` as an array.
 */
export async function parseArgs(contentType: string, raw: Buffer): Promise<Args | { invalid: string }> {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (raw.length === 0) return {};
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return { invalid: 'invalid_json' };
      return decodeJsonFields(parsed as Args);
    } catch {
      return { invalid: 'invalid_json' };
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const out: Args = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) out[k] = v;
    return decodeJsonFields(out);
  }
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    const out: Args = {};
    for (const [k, v] of form.entries())
      out[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    return decodeJsonFields(out);
  }
  return { invalid: 'invalid_post_type' };
}

/** Arguments Slack takes as JSON; `text` that happens to look like JSON ("[prod] done") stays text. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'metadata']);

function decodeJsonFields(args: Args): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) {
    if (JSON_FIELDS.has(k) && typeof v === 'string') {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // not JSON after all: keep the string (Slack would answer invalid_array_arg for blocks)
      }
    }
    out[k] = v;
  }
  return out;
}

/** The uploaded bytes: the multipart field WebClient uses (`body`, or any file part), or the raw body. */
export async function uploadedBytes(contentType: string, raw: Buffer): Promise<Buffer> {
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), {
      headers: { 'content-type': contentType },
    }).formData();
    for (const [, v] of form.entries()) if (typeof v !== 'string') return Buffer.from(await v.arrayBuffer());
    const text = form.get('body');
    if (typeof text === 'string') return Buffer.from(text, 'utf8');
  }
  return raw;
}
