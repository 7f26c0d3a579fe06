/** readBodyChunks: every chunk, exactly the declared bytes, and fastify's own errors otherwise. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBodyChunks } from '../../main/server/read-body';

type Failure = Error & { code?: string; statusCode?: number };

function read(chunks: (Buffer | string)[], contentLength: string | undefined, limit = 1000, fail?: Error) {
  const payload = new PassThrough();
  const result = new Promise<{ error: Failure | null; body: Buffer; count: number }>((resolve) =>
    readBodyChunks(payload, contentLength, limit, (error, parts, length) =>
      resolve({ error: error, body: Buffer.concat(parts, length), count: parts.length }),
    ),
  );
  for (const chunk of chunks) payload.write(chunk);
  if (fail) payload.destroy(fail);
  else payload.end();
  return result;
}

describe('readBodyChunks', () => {
  it('hands over the chunks as they came, exactly the declared bytes', async () => {
    const { error, body, count } = await read([Buffer.from('{"a":'), '"é"', Buffer.from('}')], '10');
    expect(error).toBeNull();
    expect(body.toString()).toBe('{"a":"é"}');
    expect(count).toBeGreaterThan(1);
  });

  it('reads a body without Content-Length (chunked upload)', async () => {
    const { error, body } = await read(['{"a"', ':1}'], undefined);
    expect(error).toBeNull();
    expect(body.toString()).toBe('{"a":1}');
  });

  it('reads an empty body', async () => {
    const { error, body } = await read([], '0');
    expect(error).toBeNull();
    expect(body.length).toBe(0);
  });

  it('refuses a declared length over the limit before reading (413)', async () => {
    expect((await read(['x'], '1001')).error).toMatchObject({
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
  });

  it('refuses a chunked body once it grows over the limit (413)', async () => {
    const { error } = await read(['x'.repeat(600), 'y'.repeat(600)], undefined);
    expect(error).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
  });

  it('refuses more bytes than declared, and fewer (400)', async () => {
    for (const [chunks, length] of [
      [['12345', '678'], '6'],
      [['123'], '6'],
    ] as const) {
      expect((await read([...chunks], length)).error).toMatchObject({
        code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
        statusCode: 400,
      });
    }
  });

  it('passes a stream error on as a 400 unless it says otherwise', async () => {
    expect((await read(['12'], '6', 1000, new Error('aborted'))).error).toMatchObject({
      message: 'aborted',
      statusCode: 400,
    });
    const tooBig = Object.assign(new Error('too big'), { statusCode: 413 });
    expect((await read(['12'], '6', 1000, tooBig)).error).toMatchObject({ statusCode: 413 });
  });
});
