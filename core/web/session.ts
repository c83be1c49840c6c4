import { createHttpClient } from './http-client.js';

export interface Identity {
  kind: 'user' | 'api-key';
  id: string;
  name: string;
  roles: string[];
}

interface StoredToken {
  token: string;
  expiresAt: number;
}

export interface Session {
  token(): string | undefined;
  /** Exchanges a username and password for a token at the proxy's `/auth/token`, then reads who it is. */
  logIn(username: string, password: string): Promise<Identity>;
  /** Who the stored token belongs to (`/auth/me`), or undefined when there is none or it has expired. */
  identify(): Promise<Identity | undefined>;
  logOut(): void;
}

function readStored(storageKey: string): StoredToken | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as StoredToken | null;
    return stored && stored.expiresAt > Date.now() ? stored : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The token of a panel's login, kept per tab under `storageKey` (one per panel, so the admin and the analyst
 * UI do not share a login): closing the tab ends the session, a reload does not.
 */
export function createSession(storageKey: string): Session {
  let current = readStored(storageKey);
  const token = () => (current && current.expiresAt > Date.now() ? current.token : undefined);
  const auth = createHttpClient({ baseUrl: '/auth', token });

  async function identify(): Promise<Identity | undefined> {
    if (!token()) return undefined;
    try {
      return await auth.get<Identity>('/me');
    } catch {
      return undefined;
    }
  }

  return {
    token,
    async logIn(username, password) {
      const answer = await auth.post<{ access_token: string; expires_in: number }>('/token', {
        username,
        password,
      });
      current = { token: answer.access_token, expiresAt: Date.now() + answer.expires_in * 1000 };
      sessionStorage.setItem(storageKey, JSON.stringify(current));
      const identity = await identify();
      if (!identity) throw new Error('The login succeeded but the session could not be read');
      return identity;
    },
    identify,
    logOut() {
      current = undefined;
      sessionStorage.removeItem(storageKey);
    },
  };
}
