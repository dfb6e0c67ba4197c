import { readFile } from 'node:fs/promises';
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
