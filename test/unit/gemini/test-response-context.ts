import type { GeminiInlineData } from '../../../main/server/providers/gemini/gemini-types';
import type { ResponseContext } from '../../../main/server/providers/gemini/response-context';

/** The fixed clock every golden fixture was written against. */
export const TEST_CREATED = 1735689600;

/** A stub image linker that shows both the mime type and the data it was given. */
export const stubImageUrl = (image: GeminiInlineData): string =>
  `https://images.test/${image.mimeType}/${image.data}`;

/** Deterministic context: `call_test_1`, `call_test_2`, … for tool calls without a Gemini id. */
export function testResponseContext(model: string): ResponseContext {
  let calls = 0;
  return {
    id: 'chatcmpl-test',
    created: TEST_CREATED,
    model,
    newToolCallId: () => `call_test_${++calls}`,
    imageUrl: stubImageUrl,
  };
}
