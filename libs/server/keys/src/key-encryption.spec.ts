import { randomBytes } from 'node:crypto';
import { KeyEncryption } from './key-encryption.js';

describe('KeyEncryption', () => {
  const key = randomBytes(32);
  const plaintext = Buffer.from('private key material');

  it('opens what it sealed, and the sealed bytes do not contain the plaintext', () => {
    const enc = new KeyEncryption(key);
    const sealed = enc.seal(plaintext, 'kid-1');
    expect(sealed.includes(plaintext)).toBe(false);
    expect(enc.open(sealed, 'kid-1').equals(plaintext)).toBe(true);
  });

  it('refuses a sealed key presented for another key id, under another key, or tampered with', () => {
    const enc = new KeyEncryption(key);
    const sealed = enc.seal(plaintext, 'kid-1');
    expect(() => enc.open(sealed, 'kid-2')).toThrow();
    expect(() => new KeyEncryption(randomBytes(32)).open(sealed, 'kid-1')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => enc.open(tampered, 'kid-1')).toThrow();
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new KeyEncryption(randomBytes(16))).toThrow(TypeError);
  });
});
