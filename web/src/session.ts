// Who is signed in: GET /api/session on load, the login and the logout, and a 401 from any call
// (the session ended) bringing the login page back.
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { SessionAnswer } from '../../src/api/schemas/access-schemas.ts';
import { ApiError, sendJson, setCsrfToken, signedOutEvent } from './api.ts';

/** Who is signed in: the answer of GET and POST /api/session. */
export type Session = SessionAnswer;

export interface SessionState {
  session: Session | null;
  /** True until the first GET /api/session has answered. */
  checking: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

export function useSession(): SessionState {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(true);
  const adopt = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
  }, []);

  useEffect(() => {
    sendJson<SessionAnswer>('GET', '/api/session').then(
      (answer) => {
        adopt(answer);
        setChecking(false);
      },
      () => {
        adopt(null);
        setChecking(false);
      },
    );
    const onSignedOut = () => adopt(null);
    window.addEventListener(signedOutEvent, onSignedOut);
    return () => window.removeEventListener(signedOutEvent, onSignedOut);
  }, [adopt]);

  const signIn = useCallback(
    async (username: string, password: string) =>
      adopt(await sendJson<SessionAnswer>('POST', '/api/session', { username, password })),
    [adopt],
  );
  const signOut = useCallback(async () => {
    await sendJson('DELETE', '/api/session').catch((error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
    });
    adopt(null);
  }, [adopt]);
  return { session, checking, signIn, signOut };
}

/**
 * The signed-in user's rights, for the pages: a button whose action needs a right the user lacks is not
 * shown (the server refuses it anyway; hiding it saves a click that can only fail). The shell provides it.
 */
export const RightsContext = createContext<readonly string[]>([]);

export function useHasRight(right: string): boolean {
  return useContext(RightsContext).includes(right);
}
