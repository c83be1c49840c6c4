import type { VariableSpec } from './read-config.js';

export function integer(
  options: { min?: number; max?: number; defaultValue?: number } = {},
): VariableSpec<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return {
    defaultValue: options.defaultValue,
    parse(raw) {
      if (!/^-?\d+$/.test(raw)) throw new Error(`must be a whole number, got "${raw}"`);
      const value = Number(raw);
      if (value < min || value > max) throw new Error(`must be between ${min} and ${max}, got ${value}`);
      return value;
    },
  };
}

export function port(defaultValue: number): VariableSpec<number> {
  return integer({ min: 0, max: 65535, defaultValue });
}

export function url(protocols: string[], defaultValue?: string): VariableSpec<string> {
  return {
    defaultValue,
    parse(raw) {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new Error(`must be a URL (${protocols.join(' or ')}), got something else`);
      }
      if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        throw new Error(`must be a ${protocols.join(' or ')} URL, got ${parsed.protocol}`);
      }
      return raw;
    },
  };
}

export function oneOf<T extends string>(values: readonly T[], defaultValue?: T): VariableSpec<T> {
  return {
    defaultValue,
    parse(raw) {
      if (!(values as readonly string[]).includes(raw))
        throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as T;
    },
  };
}

export function text(
  options: { defaultValue?: string; pattern?: RegExp; description?: string } = {},
): VariableSpec<string> {
  return {
    defaultValue: options.defaultValue,
    parse(raw) {
      if (options.pattern && !options.pattern.test(raw))
        throw new Error(`must be ${options.description ?? options.pattern}`);
      return raw;
    },
  };
}

/** The same parser, but an unset variable reads as null instead of being required. */
export function optional<T>(spec: VariableSpec<T>): VariableSpec<T | null> {
  return { defaultValue: null, parse: spec.parse };
}

/** A comma-separated list of positive whole numbers, such as retry delays in milliseconds. */
export function integerList(defaultValue: number[]): VariableSpec<number[]> {
  return {
    defaultValue,
    parse(raw) {
      const parts = raw.split(',').map((part) => part.trim());
      if (parts.length === 0 || parts.some((part) => !/^\d+$/.test(part) || Number(part) <= 0)) {
        throw new Error(`must be comma-separated positive whole numbers, got "${raw}"`);
      }
      return parts.map(Number);
    },
  };
}

export function byteSize(defaultValue: number): VariableSpec<number> {
  const units: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return {
    defaultValue,
    parse(raw) {
      const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(raw);
      if (!match) throw new Error(`must be a size such as 1048576, 512kb or 1mb, got "${raw}"`);
      return Number(match[1]) * (units[(match[2] ?? '').toLowerCase()] ?? 1);
    },
  };
}

/** A comma-separated list of secrets (tokens): blanks dropped; the error never repeats the value. */
export function secretList(): VariableSpec<string[]> {
  return {
    defaultValue: [],
    parse(raw) {
      const parts = raw
        .split(/[,\n]/)
        .map((part) => part.trim())
        .filter((part) => part !== '');
      if (parts.some((part) => /\s/.test(part)))
        throw new Error('must be comma-separated tokens without spaces');
      return parts;
    },
  };
}

/**
 * Secrets shared by the modules (comma-separated; the first signs, every one verifies, so a new one can
 * roll out before the old is dropped). Required: no default, and each at least 32 characters.
 */
export function sharedSecrets(): VariableSpec<string[]> {
  const list = secretList();
  return {
    parse(raw) {
      const secrets = list.parse(raw);
      if (secrets.length === 0) throw new Error('must hold at least one secret');
      if (secrets.some((secret) => secret.length < 32))
        throw new Error('each secret must be at least 32 characters long');
      return secrets;
    },
  };
}

/** An IANA time zone name that this Node's Intl knows (`UTC`, `Europe/Prague`). */
export function timeZone(defaultValue: string): VariableSpec<string> {
  return {
    defaultValue,
    parse(raw) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: raw });
      } catch {
        throw new Error(`must be an IANA time zone such as UTC or Europe/Prague, got "${raw}"`);
      }
      return raw;
    },
  };
}

/** An on/off switch: `1` or `true` is on, `0` or `false` is off; anything else is a mistake to report. */
export function flag(defaultValue: boolean): VariableSpec<boolean> {
  return {
    defaultValue,
    parse(raw) {
      const value = raw.trim().toLowerCase();
      if (value === '1' || value === 'true') return true;
      if (value === '0' || value === 'false') return false;
      throw new Error(`must be 1 or 0, got "${raw}"`);
    },
  };
}
