/** A key-health list (Gemini or xAI keys) kept current while its page is open. */
import { useEffect, useRef } from 'preact/hooks';
import type { KeyHealth } from '../../shared/admin-dto';
import { endedCooldowns } from '../lib/key-health';
import { useLoad, usePolling, type Loaded } from './hooks';

/**
 * Loads the list, asks again every 10 s (keys cool down and get disabled by traffic, not by this
 * window) and as soon as a cool-down shown ends; `now` is the Keys page's clock, ticking every second
 * for the countdowns.
 */
export function useKeyHealth(load: () => Promise<KeyHealth[]>, now: number): Loaded<KeyHealth[]> {
  const keys = useLoad(load, []);
  usePolling(() => void keys.reload(), 10_000);

  const asked = useRef(new Set<string>());
  useEffect(() => {
    const ended = endedCooldowns(keys.data ?? [], now, asked.current);
    if (ended.length === 0) return;
    ended.forEach((tag) => asked.current.add(tag));
    void keys.reload();
  }, [now, keys.data]);

  return keys;
}
