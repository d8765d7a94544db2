// The page the dashboard opens on until someone signs in (POST /api/session).
import { LanguageSwitch } from '../components/language-switch.tsx';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api.ts';
import { useI18n } from '../i18n/index.ts';

export function LoginPage({ signIn }: { signIn(username: string, password: string): Promise<void> }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signIn(username, password);
    } catch (problem) {
      const code = problem instanceof ApiError ? problem.code : '';
      setError(
        code === 'AUTH_REQUIRED'
          ? t('login.failed')
          : code === 'TOO_MANY_REQUESTS'
            ? t('login.throttled')
            : String((problem as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="brand">
          <div className="brand-mark">T</div>
          <div>
            <div className="brand-name">{t('app.title')}</div>
            <div className="brand-sub">{t('login.title')}</div>
          </div>
        </div>
        <label>
          {t('login.username')}
          <input
            name="username"
            // Signing in from the keyboard alone (the call centre): type, Tab, type, Enter.
            // biome-ignore lint/a11y/noAutofocus: the login form is the only thing on its page
            autoFocus
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <div className="login-error" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <div className="login-actions">
          <button type="submit" className="button" disabled={busy} data-testid="login-submit">
            {t('login.submit')}
          </button>
          <LanguageSwitch />
        </div>
      </form>
    </div>
  );
}
