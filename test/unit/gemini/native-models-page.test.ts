/** GET /v1beta/models paging over the cached catalogue, as Google pages (wire-format §1.3). */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/server/errors';
import type { GeminiModel } from '../../../main/server/providers/gemini/gemini-types';
import { pageOfModels, pageTokenFor } from '../../../main/server/providers/gemini/native-models-page';

const models: GeminiModel[] = Array.from({ length: 120 }, (_, i) => ({ name: `models/m-${i}` }));
const page = (query: string, list = models) => pageOfModels(list, new URLSearchParams(query));
const names = (r: { models?: GeminiModel[] }) => (r.models ?? []).map((m) => m.name);

describe('pageOfModels', () => {
  it('defaults to 50 per page with an opaque token; the last page has no token', () => {
    const first = page('');
    expect(names(first)).toEqual(models.slice(0, 50).map((m) => m.name));
    expect(first.nextPageToken).toBe(pageTokenFor(50));
    const second = page(`pageToken=${first.nextPageToken}`);
    expect(names(second)[0]).toBe('models/m-50');
    const last = page(`pageToken=${second.nextPageToken}`);
    expect(names(last)).toHaveLength(20);
    expect(last).not.toHaveProperty('nextPageToken');
  });

  it('honours pageSize (and page_size), 0 means the default, capped at 1000', () => {
    expect(names(page('pageSize=7'))).toHaveLength(7);
    expect(names(page('page_size=3'))).toHaveLength(3);
    expect(names(page('pageSize=0'))).toHaveLength(50);
    const many: GeminiModel[] = Array.from({ length: 1500 }, (_, i) => ({ name: `models/x-${i}` }));
    const capped = page('pageSize=5000', many);
    expect(names(capped)).toHaveLength(1000);
    expect(capped.nextPageToken).toBeDefined();
  });

  it('a page exactly at the end has no token; models are passed through whole', () => {
    const full = {
      name: 'models/a',
      displayName: 'A',
      supportedGenerationMethods: ['generateContent'],
      thinking: true,
    };
    expect(page('pageSize=1', [full])).toEqual({ models: [full] });
  });

  it('bad sizes and foreign tokens are 400 INVALID_ARGUMENT', () => {
    for (const query of [
      'pageSize=-1',
      'pageSize=abc',
      'pageSize=1.5',
      'pageToken=bogus',
      `pageToken=${Buffer.from('other:5').toString('base64url')}`,
    ]) {
      let thrown: unknown;
      try {
        page(query);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, query).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).grpcStatus).toBe('INVALID_ARGUMENT');
    }
  });
});
