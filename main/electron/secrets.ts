/**
 * Secrets at rest (DESIGN §10): settings flagged `secret` are encrypted with Electron's safeStorage
 * (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) before they reach the settings
 * file. Where the OS offers no encryption they are stored as they are, and the shell says so loudly:
 * silently storing keys in clear would be worse than a visible warning.
 */

/** The part of Electron's `safeStorage` this module needs (injected, so tests use a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. obfuscation rather than encryption. */
  getSelectedStorageBackend?(): string;
}

/** Marks a stored value as ciphertext: `gemgate-safe:v1:<base64 of safeStorage output>`. */
export const SECRET_MARKER = 'gemgate-safe:v1:';

export type DecodedSecret = { ok: true; value: unknown } | { ok: false; reason: string };

export interface SecretCodec {
  /** Whether new secrets are encrypted (false: stored in plain text). */
  readonly encrypting: boolean;
  /** What the UI/log should say about secret storage, if anything is wrong with it. */
  readonly warning: string | null;
  encode(value: unknown): unknown;
  decode(stored: unknown): DecodedSecret;
  isEncoded(stored: unknown): boolean;
}

export function createSecretCodec(safeStorage: SafeStorageLike): SecretCodec {
  const encrypting = safeStorage.isEncryptionAvailable();
  const backend = safeStorage.getSelectedStorageBackend?.();
  const warning = !encrypting
    ? 'The operating system offers no encryption for stored secrets (safeStorage unavailable): passwords and API keys are saved in plain text in the settings file.'
    : backend === 'basic_text'
      ? 'No keyring was found (safeStorage uses its basic_text fallback): stored passwords and API keys are only obfuscated. Install gnome-keyring or KWallet for real encryption.'
      : null;

  const isEncoded = (stored: unknown): stored is string =>
    typeof stored === 'string' && stored.startsWith(SECRET_MARKER);

  return {
    encrypting,
    warning,
    isEncoded,
    encode(value) {
      if (!encrypting) return value;
      // JSON keeps the type (a key list is an array) through the string-only encryption API.
      const cipher = safeStorage.encryptString(JSON.stringify(value));
      return SECRET_MARKER + cipher.toString('base64');
    },
    decode(stored) {
      if (!isEncoded(stored)) return { ok: true, value: stored };
      if (!encrypting) {
        return {
          ok: false,
          reason: 'it is encrypted and the OS keyring that holds its key is not available',
        };
      }
      try {
        const plain = safeStorage.decryptString(Buffer.from(stored.slice(SECRET_MARKER.length), 'base64'));
        return { ok: true, value: JSON.parse(plain) as unknown };
      } catch (err) {
        return {
          ok: false,
          reason: `it cannot be decrypted (${err instanceof Error ? err.message : String(err)})`,
        };
      }
    },
  };
}
