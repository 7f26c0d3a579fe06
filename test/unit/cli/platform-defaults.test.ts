import { describe, expect, it } from 'vitest';
import { withPlatformDefaults } from '../../../main/cli/platform-defaults';

describe('withPlatformDefaults', () => {
  it('on Hugging Face Spaces (SPACE_ID set) TRUST_PROXY defaults to true, with a note', () => {
    const { env, notes } = withPlatformDefaults({ SPACE_ID: 'someone/gemgate', PASSWORD: 'x' });
    expect(env).toEqual({ SPACE_ID: 'someone/gemgate', PASSWORD: 'x', TRUST_PROXY: 'true' });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('TRUST_PROXY defaults to true');
  });

  it("the operator's TRUST_PROXY wins, even on Spaces", () => {
    expect(withPlatformDefaults({ SPACE_ID: 'a/b', TRUST_PROXY: 'false' })).toEqual({
      env: { SPACE_ID: 'a/b', TRUST_PROXY: 'false' },
      notes: [],
      knownHosts: [],
    });
    expect(withPlatformDefaults({ SPACE_ID: 'a/b', TRUST_PROXY: '2' }).env.TRUST_PROXY).toBe('2');
  });

  it('a blank TRUST_PROXY counts as unset (a Spaces secret cannot be unset)', () => {
    expect(withPlatformDefaults({ SPACE_ID: 'a/b', TRUST_PROXY: ' ' }).env.TRUST_PROXY).toBe('true');
  });

  it('on Spaces HOST_URL defaults to https://SPACE_HOST, with a note; the operator’s HOST_URL wins', () => {
    const { env, notes } = withPlatformDefaults({ SPACE_ID: 'a/b', SPACE_HOST: 'a-b.hf.space' });
    expect(env.HOST_URL).toBe('https://a-b.hf.space');
    expect(withPlatformDefaults({ SPACE_ID: 'a/b', SPACE_HOST: 'a-b.hf.space' }).knownHosts).toEqual([
      'a-b.hf.space',
    ]);
    expect(notes.some((n) => n.includes('HOST_URL defaults to https://a-b.hf.space'))).toBe(true);
    const own = withPlatformDefaults({
      SPACE_ID: 'a/b',
      SPACE_HOST: 'a-b.hf.space',
      HOST_URL: 'https://x.example',
    });
    expect(own.env.HOST_URL).toBe('https://x.example');
    // The Space's own name stays known even beside another HOST_URL (saved later in the web admin too).
    expect(own.knownHosts).toEqual(['a-b.hf.space']);
    // Not a host name: left alone rather than made into a broken URL.
    expect(withPlatformDefaults({ SPACE_ID: 'a/b', SPACE_HOST: 'a b/c' }).env.HOST_URL).toBeUndefined();
    expect(withPlatformDefaults({ SPACE_HOST: 'a-b.hf.space' }).env.HOST_URL).toBeUndefined();
  });

  it('elsewhere nothing changes', () => {
    expect(withPlatformDefaults({ PASSWORD: 'x' })).toEqual({
      env: { PASSWORD: 'x' },
      notes: [],
      knownHosts: [],
    });
    expect(withPlatformDefaults({ SPACE_ID: '' }).env.TRUST_PROXY).toBeUndefined();
  });
});
