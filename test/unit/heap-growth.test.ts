import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../main/server/heap-growth';

describe('limitHeapGrowth', () => {
  it('caps the heap growth factor through a V8 flag', () => {
    const set: string[] = [];
    expect(limitHeapGrowth(['--enable-source-maps'], (flags) => set.push(flags))).toBe(true);
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it.each([['--heap-growing-percent=150'], ['--heap_growing_percent=20'], ['--heap-growing-percent']])(
    'leaves the operator’s own %s alone',
    (given) => {
      const set: string[] = [];
      expect(limitHeapGrowth(['--inspect', given], (flags) => set.push(flags))).toBe(false);
      expect(set).toEqual([]);
    },
  );

  it('does not mistake a similar flag for the growth factor', () => {
    const set: string[] = [];
    expect(limitHeapGrowth(['--heap-growing-percentage=5'], (flags) => set.push(flags))).toBe(true);
    expect(set).toHaveLength(1);
  });
});
