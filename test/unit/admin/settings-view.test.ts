/** The masked settings view and masks coming back in a patch (admin/settings-view.ts). */
import { describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../../shared/admin-contract';
import { settingsDefaults } from '../../../shared/settings-schema';
import { maskedEntry, settingsView, unmask, UNCHANGED } from '../../../main/server/admin/settings-view';
import { ApiError } from '../../../main/server/errors';
import { MemorySettingsSource } from '../../../main/server/settings/settings-source';
import { writableSettingsOf } from '../../../main/server/settings/writable-of';

const A = 'AIzaSyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-one';
const B = 'AIzaSyBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB-one';
const SHORT_1 = 'short-1';
const SHORT_2 = 'short-2';

describe('settingsView', () => {
  it('masks every secret, lists item by item, and reports origins', async () => {
    const settings = writableSettingsOf(
      new MemorySettingsSource({
        ...settingsDefaults('headless'),
        geminiApiKeys: [A, SHORT_1],
        tencentSecretKey: '',
      }),
    );
    await settings.update({ maxRequestsPerMinute: 3 });
    const view = settingsView(settings);
    expect(view.values.password).toBe(SECRET_MASK);
    expect(view.values.tencentSecretKey).toBe('');
    expect(view.values.geminiApiKeys).toEqual([`${SECRET_MASK}AIza…-one`, `${SECRET_MASK}****`]);
    expect(view.values.xaiApiKeys).toEqual([]);
    expect(view.values.maxRequestsPerMinute).toBe(3);
    expect(view.secretsSet).toEqual(['password', 'geminiApiKeys']);
    expect(view.overridden).toEqual(['maxRequestsPerMinute']);
    expect(view.fromEnvironment).toEqual([]);
  });
});

describe('unmask', () => {
  it('SECRET_MASK is "unchanged"; non-secrets pass as they are', () => {
    expect(unmask('password', SECRET_MASK, 'x')).toBe(UNCHANGED);
    expect(unmask('geminiApiKeys', SECRET_MASK, [A])).toBe(UNCHANGED);
    expect(unmask('hostUrl', SECRET_MASK, '')).toBe(SECRET_MASK);
    expect(unmask('password', 'new-one', 'x')).toBe('new-one');
  });

  it('masked list entries name their items, even items with the same mask (in order)', () => {
    const current = [A, SHORT_1, B, SHORT_2];
    expect(maskedEntry(A)).toBe(maskedEntry(B));
    const back = [maskedEntry(SHORT_1), 'brand-new-key', maskedEntry(A), maskedEntry(SHORT_1)];
    expect(unmask('geminiApiKeys', back, current)).toEqual([SHORT_1, 'brand-new-key', A, SHORT_2]);
  });

  it('a masked entry naming no current item → 400 at its index, without echoing anything', () => {
    const call = () => unmask('geminiApiKeys', [maskedEntry(A), maskedEntry(A)], [A]);
    expect(call).toThrow(ApiError);
    expect(call).toThrow(/geminiApiKeys\[1\]/);
  });
});
