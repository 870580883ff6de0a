import { CronTime } from 'cron';

/** Small, strict parsers for environment values. Each throws a one-line reason on bad input. */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `900`, `900s`, `15m`, `12h`, `30d` → seconds. A bare number means seconds. */
export function parseDurationSeconds(raw: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!match) throw new Error(`expected a duration such as 900, 15m, 12h or 30d, got "${raw}"`);
  const milliseconds = Number(match[1]) * DURATION_UNITS[match[2] ?? 's'];
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 1) throw new Error(`expected a duration of at least one second, got "${raw}"`);
  return seconds;
}

export function parseInteger(min: number, max: number) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`expected a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new Error(`expected a number from ${min} to ${max}, got ${value}`);
    return value;
  };
}

export function parseBoolean(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new Error(`expected true or false, got "${raw}"`);
}

export function parseOneOf<T extends string>(...allowed: T[]) {
  return (raw: string): T => {
    if (!(allowed as string[]).includes(raw))
      throw new Error(`expected one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}

export function parseUrl(protocols: string[]) {
  return (raw: string): string => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error('expected an absolute URL');
    }
    if (!protocols.includes(url.protocol)) {
      throw new Error(`expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    }
    return raw;
  };
}

/** Comma-separated list; empty entries are dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A 32-byte key given as base64 or base64url (e.g. `openssl rand -base64 32`). */
export function parseKey32(raw: string): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32)
    throw new Error(`expected 32 bytes in base64 (openssl rand -base64 32), got ${key.length}`);
  return key;
}

export function parseNonEmpty(raw: string): string {
  if (raw.trim().length === 0) throw new Error('must not be empty');
  return raw;
}

/** A five- or six-field cron expression, checked by the same library that runs it. */
export function parseCron(raw: string): string {
  try {
    new CronTime(raw.trim(), 'UTC');
  } catch (error) {
    throw new Error(`expected a cron expression such as "*/15 * * * *": ${(error as Error).message}`, {
      cause: error,
    });
  }
  return raw.trim();
}
