import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { AppConfig, ConfigValidationError } from './app-config.js';
import { CONFIG_VARIABLES } from './config.definition.js';

describe(AppConfig.name, () => {
  it('should apply every default when the environment is empty', () => {
    const sut = AppConfig.fromEnvironment({});
    expect(sut.get('PORT')).toBe(3000);
    expect(sut.get('ACCESS_TOKEN_TTL')).toBe(900);
    expect(sut.get('SESSION_TTL')).toBe(30 * 86_400);
    expect(sut.get('LOCKOUT_DURATION')).toBe(30 * 60);
    expect(sut.get('BCRYPT_COST')).toBe(12);
    expect(sut.get('DATABASE_URL')).toBeUndefined();
    expect(sut.issuer).toBe('http://localhost:3000');
    expect(sut.apiAudience).toBe('http://localhost:3000/api');
  });

  it('should parse durations with units and lists', () => {
    const sut = AppConfig.fromEnvironment({
      SESSION_IDLE_TTL: '12h',
      CORS_ORIGINS: 'http://a.test, http://b.test,',
      ISSUER_URL: 'https://id.example.test/',
    });
    expect(sut.get('SESSION_IDLE_TTL')).toBe(43_200);
    expect(sut.get('CORS_ORIGINS')).toEqual(['http://a.test', 'http://b.test']);
    expect(sut.issuer).toBe('https://id.example.test');
  });

  it.each([
    ['PORT', '70000', 'PORT: expected a number from 0 to 65535, got 70000'],
    ['LOCKOUT_WINDOW', 'soon', 'LOCKOUT_WINDOW: expected a duration'],
    ['ALLOW_REGISTRATION', 'maybe', 'ALLOW_REGISTRATION: expected true or false'],
    ['KEY_ENCRYPTION_KEY', 'c2hvcnQ=', 'KEY_ENCRYPTION_KEY: expected 32 bytes'],
    ['REDIS_URL', 'http://cache', 'REDIS_URL: expected a URL starting with redis:// or rediss://'],
  ])('should refuse a bad %s with one line naming it', (name, value, message) => {
    expect(() => AppConfig.fromEnvironment({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => AppConfig.fromEnvironment({ [name]: value })).toThrow(message);
  });

  it('should require secrets in production instead of generating them', () => {
    expect(() => AppConfig.fromEnvironment({ NODE_ENV: 'production' })).toThrow(
      'KEY_ENCRYPTION_KEY: must be set when NODE_ENV=production',
    );
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(AppConfig.fromEnvironment({ NODE_ENV: 'production', KEY_ENCRYPTION_KEY: key }).isProduction).toBe(
      true,
    );
  });

  it('should refuse a minimum password length above the maximum', () => {
    expect(() =>
      AppConfig.fromEnvironment({ PASSWORD_MIN_LENGTH: '100', PASSWORD_MAX_LENGTH: '64' }),
    ).toThrow('PASSWORD_MIN_LENGTH');
  });

  it('should list every variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const name of Object.keys(CONFIG_VARIABLES))
      expect(example, name).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
  });
});
