import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeJsonAtomically } from './settingsStore.ts';

/** Access keys of a remote connection. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Where connection secrets live. Secrets are never written in plain text: the default store keeps
 * them in memory for the run; Electron's main process passes a store backed by safeStorage.
 */
export interface SecretStore {
  get(connectionId: string): Credentials | undefined;
  set(connectionId: string, credentials: Credentials): Promise<void>;
  delete(connectionId: string): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, Credentials>();
  get(connectionId: string): Credentials | undefined {
    return this.secrets.get(connectionId);
  }
  async set(connectionId: string, credentials: Credentials): Promise<void> {
    this.secrets.set(connectionId, { ...credentials });
  }
  async delete(connectionId: string): Promise<void> {
    this.secrets.delete(connectionId);
  }
}

/** The OS keychain-backed cipher Electron offers as safeStorage (main process only). */
export interface Cipher {
  encrypt(plainText: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/**
 * Secrets encrypted with an OS-backed cipher and saved as base64 ciphertext, so the file on disk
 * is useless without the user's keychain. Decrypted values stay in memory only.
 */
export class EncryptedFileSecretStore implements SecretStore {
  private readonly plain = new Map<string, Credentials>();
  private readonly sealed = new Map<string, string>();

  private constructor(
    private readonly file: string,
    private readonly cipher: Cipher,
  ) {}

  static async open(file: string, cipher: Cipher): Promise<EncryptedFileSecretStore> {
    const store = new EncryptedFileSecretStore(file, cipher);
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      for (const [id, base64] of Object.entries(saved)) {
        try {
          store.plain.set(id, JSON.parse(cipher.decrypt(Buffer.from(base64, 'base64'))) as Credentials);
          store.sealed.set(id, base64);
        } catch {
          // Encrypted under another OS user or keychain: the connection simply asks for keys again.
        }
      }
    } catch {
      // No secrets saved yet.
    }
    return store;
  }

  get(connectionId: string): Credentials | undefined {
    return this.plain.get(connectionId);
  }

  async set(connectionId: string, credentials: Credentials): Promise<void> {
    this.plain.set(connectionId, { ...credentials });
    this.sealed.set(connectionId, this.cipher.encrypt(JSON.stringify(credentials)).toString('base64'));
    await this.save();
  }

  async delete(connectionId: string): Promise<void> {
    this.plain.delete(connectionId);
    this.sealed.delete(connectionId);
    await this.save();
  }

  private async save(): Promise<void> {
    await writeJsonAtomically(this.file, Object.fromEntries(this.sealed));
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * For the browser mode, which has no OS keychain: AES-256-GCM under a random key kept in a file of
 * its own (readable by the owner only), away from the secrets it protects, so the connections and
 * secrets files are useless on their own. The key file is made on the first secret saved, not
 * before. Ciphertext is iv | tag | encrypted bytes.
 */
export function keyFileCipher(keyFile: string): Cipher {
  let key: Buffer | undefined;
  const existingKey = (): Buffer => {
    key ??= readFileSync(keyFile);
    if (key.length !== KEY_BYTES) throw new Error(`${keyFile} is not a ${KEY_BYTES}-byte key`);
    return key;
  };
  const keyToWrite = (): Buffer => {
    if (key) return key;
    if (!existsSync(keyFile)) {
      mkdirSync(dirname(keyFile), { recursive: true });
      try {
        // 'wx': never overwrite a key another process has just written; then read whichever won.
        writeFileSync(keyFile, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return existingKey();
  };
  return {
    encrypt(plainText) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyToWrite(), iv);
      const encrypted = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
    },
    decrypt(data) {
      const decipher = createDecipheriv('aes-256-gcm', existingKey(), data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
