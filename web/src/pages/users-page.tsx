// Users and API tokens for admins: add a user (the generated password is shown once), change roles,
// disable or enable, revoke a token. Every change goes through the API, which audits it.
import { type FormEvent, useCallback, useState } from 'react';
import type { CreatedUserAnswer, TokensAnswer, UsersAnswer } from '../../../src/api/schemas/access-schemas.ts';
import { ApiError, sendJson, useApi } from '../api.ts';
import { StateMessage } from '../components/state-message.tsx';
import { useI18n } from '../i18n/index.ts';
import type { PageProps } from './page-props.ts';

const allRoles = ['admin', 'analyst', 'campaign_manager', 'approver', 'agent', 'oncall'];

export function UsersPage(_props: PageProps) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const users = useApi<UsersAnswer>(`/api/access/users?v=${version}`);
  const tokens = useApi<TokensAnswer>(`/api/access/tokens?v=${version}`);
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>(['analyst']);
  const [shown, setShown] = useState('');
  const [problem, setProblem] = useState('');

  const act = useCallback(async (work: () => Promise<unknown>) => {
    setProblem('');
    try {
      await work();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
    setVersion((v) => v + 1);
  }, []);

  const add = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const made = await sendJson<CreatedUserAnswer>('POST', '/api/access/users', { username: name, roles });
      setShown(`${name}: ${made.password}`);
      setName('');
    });
  };

  return (
    <section data-testid="results" data-loading={users.loading || tokens.loading ? 'true' : 'false'}>
      <StateMessage loading={users.loading} error={users.error} />
      <form className="filter-bar" onSubmit={add} data-testid="user-add">
        <input
          name="new-user"
          placeholder={t('users.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        {allRoles.map((role) => (
          <label key={role}>
            <input
              type="checkbox"
              name={`role-${role}`}
              checked={roles.includes(role)}
              onChange={(e) => setRoles(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))}
            />
            {role}
          </label>
        ))}
        <button type="submit" className="button">
          {t('users.add')}
        </button>
      </form>
      {shown && (
        <p className="message" data-testid="new-password">
          {t('users.passwordOnce')} {shown}
        </p>
      )}
      {problem && (
        <p className="message error" role="alert">
          {problem}
        </p>
      )}
      <table className="data-table" data-testid="users-table">
        <tbody>
          {(users.data?.users ?? []).map((u) => (
            <tr key={u.username}>
              <td>{u.username}</td>
              <td>{u.roles.join(', ')}</td>
              <td>{u.disabled ? t('users.disabled') : t('users.enabled')}</td>
              <td>
                <button
                  type="button"
                  className="button ghost"
                  onClick={() =>
                    void act(() =>
                      sendJson(
                        'POST',
                        `/api/access/users/${encodeURIComponent(u.username)}/${u.disabled ? 'enable' : 'disable'}`,
                      ),
                    )
                  }
                >
                  {u.disabled ? t('users.enable') : t('users.disable')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('users.tokens')}</h2>
      <table className="data-table" data-testid="tokens-table">
        <tbody>
          {(tokens.data?.tokens ?? []).map((token) => (
            <tr key={token.tokenId}>
              <td>{token.tokenId}</td>
              <td>{token.username}</td>
              <td>{token.roles.join(', ')}</td>
              <td>{token.expiresAt}</td>
              <td>
                {token.revokedAt ? (
                  t('users.revoked')
                ) : (
                  <button
                    type="button"
                    className="button ghost"
                    onClick={() =>
                      void act(() => sendJson('DELETE', `/api/access/tokens/${encodeURIComponent(token.tokenId)}`))
                    }
                  >
                    {t('users.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
