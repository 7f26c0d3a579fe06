import { describe, expect, it } from 'vitest';
import type { PartSink } from '../../../main/server/providers/gemini/convert-parts';
import { collectParts, emitPart, isVisiblePart } from '../../../main/server/providers/gemini/convert-parts';
import type { GeminiPart } from '../../../main/server/providers/gemini/gemini-types';
import { testResponseContext } from './test-response-context';

/** Records which sink method each part reached, to compare with isVisiblePart. */
function recordingSink(): { sink: PartSink; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    sink: {
      content: () => calls.push('content'),
      reasoning: () => calls.push('reasoning'),
      toolCall: () => calls.push('toolCall'),
      image: () => calls.push('image'),
    },
  };
}

describe('convert-parts', () => {
  it('fences code in a fence longer than any backtick run inside it', () => {
    const parts: GeminiPart[] = [
      { executableCode: { language: 'PYTHON', code: 'print("```")\n' } },
      { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '```' } },
    ];
    expect(collectParts(parts, testResponseContext('m')).content).toBe(
      '\n\n````python\nprint("```")\n````\n\n' + '\n\n````output\n```\n````\n\n',
    );
  });

  it('labels code without a usable language as python and fences a missing output as empty', () => {
    const parts: GeminiPart[] = [
      { executableCode: { language: 'LANGUAGE_UNSPECIFIED', code: 'x = 1' } },
      { executableCode: { code: 'y = 2' } },
      { codeExecutionResult: { outcome: 'OUTCOME_DEADLINE_EXCEEDED' } },
    ];
    expect(collectParts(parts, testResponseContext('m')).content).toBe(
      '\n\n```python\nx = 1\n```\n\n' + '\n\n```python\ny = 2\n```\n\n' + '\n\n```output\n```\n\n',
    );
  });

  it('drops non-image inline data and thought images, keeps thought text as reasoning', () => {
    const collected = collectParts(
      [
        { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
        { inlineData: { mimeType: 'image/png', data: 'ZHJhZnQ=' }, thought: true },
        { text: 'plan', thought: true },
        { text: ' more', thought: true },
      ],
      testResponseContext('m'),
    );
    expect(collected).toEqual({ content: '', reasoning: 'plan more', toolCalls: [], images: [] });
  });

  it('links each image once, through the injected imageUrl', () => {
    const seen: string[] = [];
    const ctx = {
      ...testResponseContext('m'),
      imageUrl: (image: { mimeType: string; data: string }) => {
        seen.push(image.data);
        return `/images/${seen.length}.png`;
      },
    };
    const collected = collectParts(
      [
        { inlineData: { mimeType: 'image/png', data: 'QQ==' } },
        { inlineData: { mimeType: 'image/webp', data: 'Qg==' } },
      ],
      ctx,
    );
    expect(seen).toEqual(['QQ==', 'Qg==']);
    expect(collected.images.map((image) => image.image_url.url)).toEqual(['/images/1.png', '/images/2.png']);
    expect(collected.content).toBe('\n\n![image](/images/1.png)\n\n\n\n![image](/images/2.png)\n\n');
  });

  it('only asks for a new tool-call id when Gemini sent none', () => {
    let asked = 0;
    const ctx = { ...testResponseContext('m'), newToolCallId: () => `made_${++asked}` };
    const collected = collectParts(
      [
        { functionCall: { id: 'g1', name: 'a', args: {} } },
        { functionCall: { name: 'b', args: { q: 'x' } } },
      ],
      ctx,
    );
    expect(asked).toBe(1);
    expect(collected.toolCalls.map((call) => call.id)).toEqual(['g1', 'made_1']);
  });

  it('isVisiblePart agrees with what emitPart produces', () => {
    const parts: GeminiPart[] = [
      { text: 'a' },
      { text: '' },
      { text: 'b', thought: true },
      { text: '', thoughtSignature: 'c2ln' },
      { functionCall: { name: 'f' } },
      { inlineData: { mimeType: 'image/png', data: 'eA==' } },
      { inlineData: { mimeType: 'image/png', data: 'eA==' }, thought: true },
      { inlineData: { mimeType: 'audio/wav', data: 'eA==' } },
      { executableCode: { code: '1' } },
      { codeExecutionResult: { output: '1' } },
      { fileData: { fileUri: 'gs://x' } },
    ];
    for (const part of parts) {
      const { sink, calls } = recordingSink();
      emitPart(part, testResponseContext('m'), sink);
      const visible = calls.some((call) => call !== 'reasoning');
      expect({ part, visible: isVisiblePart(part) }).toEqual({ part, visible });
    }
  });
});
