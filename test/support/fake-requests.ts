/** Typed views of what the fake Gemini upstream recorded. */
import type { GeminiGenerateContentRequest } from '../../main/server/providers/gemini/gemini-types';
import type { FakeGemini, RecordedRequest } from '../fakes/fake-gemini';

export const isGenerate = (r: RecordedRequest): boolean =>
  r.action === 'generateContent' || r.action === 'streamGenerateContent';

/** generateContent / streamGenerateContent calls, in arrival order. */
export const generateCalls = (fake: FakeGemini): RecordedRequest[] => fake.requests.filter(isGenerate);

/** The body of the only generate call; fails when there were none or several. */
export function onlyGenerateBody(fake: FakeGemini): GeminiGenerateContentRequest {
  const calls = generateCalls(fake);
  if (calls.length !== 1) throw new Error(`expected exactly one generate call, saw ${calls.length}`);
  return calls[0]!.body as GeminiGenerateContentRequest;
}

/** How many generate calls each key made. */
export function callsPerKey(fake: FakeGemini): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of generateCalls(fake)) counts[r.key ?? '(none)'] = (counts[r.key ?? '(none)'] ?? 0) + 1;
  return counts;
}
