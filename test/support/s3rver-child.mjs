/**
 * A real S3-compatible server for the tests: s3rver (npm @20minutes/s3rver, files in `directory`), run as
 * its own process so a test can kill it mid-upload. Usage: node s3rver-child.mjs <directory> [port];
 * prints {"port":N} when it listens.
 *
 * Two S3 calls s3rver 4 does not implement are added here over its own upload directory
 * (<directory>/<bucket>/._S3rver_uploads/<uploadId>/{key,1,2,…}), so the tests can see that a failed upload
 * leaves no unfinished multipart upload behind: ListMultipartUploads (GET /<bucket>?uploads) and
 * AbortMultipartUpload (DELETE /<bucket>/<key>?uploadId=…). Everything else is s3rver's own.
 * s3rver's SigV4 check computes bucket-level canonical URIs without the trailing "/" the AWS SDK signs, so
 * it runs with allowMismatchedSignatures: an unknown access key id is still refused (InvalidAccessKeyId),
 * a wrong secret key is not detected by this server.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';

const [directory, portArg] = process.argv.slice(2);
const server = new S3rver({
  port: Number(portArg ?? 0),
  address: '127.0.0.1',
  silent: true,
  directory,
  allowMismatchedSignatures: true,
});

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const uploadsDir = (bucket) => join(directory, bucket, '._S3rver_uploads');

async function listUploads(bucket, prefix) {
  const found = [];
  for (const id of await readdir(uploadsDir(bucket)).catch(() => [])) {
    const key = await readFile(join(uploadsDir(bucket), id, 'key'), 'utf8').catch(() => null);
    if (key === null || !key.startsWith(prefix)) continue;
    const initiated = (await stat(join(uploadsDir(bucket), id))).mtime.toISOString();
    found.push({ key, id, initiated });
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

server.middleware.unshift(async (ctx, next) => {
  const [, bucket, ...rest] = ctx.path.split('/');
  const key = decodeURIComponent(rest.join('/'));
  if (ctx.method === 'GET' && bucket && key === '' && 'uploads' in ctx.query) {
    const prefix = String(ctx.query.prefix ?? '');
    const uploads = await listUploads(bucket, prefix);
    ctx.type = 'application/xml';
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${xml(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
      `<Prefix>${xml(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
      uploads
        .map(
          (u) =>
            `<Upload><Key>${xml(u.key)}</Key><UploadId>${xml(u.id)}</UploadId><Initiated>${u.initiated}</Initiated></Upload>`,
        )
        .join('') +
      '</ListMultipartUploadsResult>';
    return;
  }
  if (ctx.method === 'DELETE' && bucket && key !== '' && typeof ctx.query.uploadId === 'string') {
    const dir = join(uploadsDir(bucket), ctx.query.uploadId.replace(/[^A-Za-z0-9_-]/g, ''));
    const storedKey = await readFile(join(dir, 'key'), 'utf8').catch(() => null);
    if (storedKey !== key) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body =
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code>' +
        '<Message>The specified multipart upload does not exist.</Message></Error>';
      return;
    }
    await rm(dir, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  return next();
});

const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
