// The dashboard shell: the login page until someone signs in, then navigation from the page registry
// limited to the pages the user's rights allow, language switch, sign-out, and the current page.
import { LanguageSwitch } from './components/language-switch.tsx';
import { type MouseEvent, useEffect } from 'react';
import { useI18n } from './i18n/index.ts';
import { pages as allPages } from './pages/index.ts';
import { LoginPage } from './pages/login-page.tsx';
import { RightsContext, type Session, useSession } from './session.ts';
import { navigate, useLocation } from './url-state.ts';

export function App() {
  const { session, checking, signIn, signOut } = useSession();
  if (checking) return null;
  if (!session) return <LoginPage signIn={signIn} />;
  return <Dashboard session={session} signOut={signOut} />;
}

function Dashboard({ session, signOut }: { session: Session; signOut(): Promise<void> }) {
  const { t } = useI18n();
  const { path, query } = useLocation();
  const pages = allPages.filter((p) => session.rights.includes(p.right));
  // An address no page has is said to be one, never silently shown as the overview.
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const unknown = !allPages.some((p) => p.path === normalised);
  const page = unknown ? undefined : (pages.find((p) => p.path === normalised) ?? pages[0]);

  useEffect(() => {
    document.title = page
      ? `${t(page.nav)} · ${t('app.title')}`
      : unknown
        ? `${t('notFound.title')} · ${t('app.title')}`
        : t('app.title');
  }, [page, unknown, t]);

  const follow = (href: string) => (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };
  // Keep the date range when moving between pages; other filters belong to a page.
  const carried = new URLSearchParams();
  for (const key of ['from', 'to']) {
    const value = query.get(key);
    if (value) carried.set(key, value);
  }
  const suffix = carried.size > 0 ? `?${carried}` : '';
  const sections = [...new Set(pages.map((p) => p.section))];

  return (
    <div className="layout">
      <nav className="sidebar" aria-label="main">
        <div className="brand">
          <div className="brand-mark">T</div>
          <div>
            <div className="brand-name">{t('app.title')}</div>
            <div className="brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        {sections.map((section) => (
          <div key={section ?? 'main'} className="nav-group">
            {section && <div className="nav-section">{t(section)}</div>}
            {pages
              .filter((p) => p.section === section)
              .map((p) => (
                <a
                  key={p.path}
                  href={p.path + suffix}
                  className={p === page ? 'nav-link active' : 'nav-link'}
                  onClick={follow(p.path + suffix)}
                  data-testid={`nav-${p.path}`}
                >
                  {t(p.nav)}
                </a>
              ))}
          </div>
        ))}
      </nav>
      <main className="content">
        <header className="topbar">
          <h1>{page ? t(page.nav) : unknown ? t('notFound.title') : t('app.title')}</h1>
          <div className="topbar-actions">
            <span className="muted" data-testid="session-user">
              {session.user} · {session.roles.join(', ')}
            </span>
            <LanguageSwitch />
            <button type="button" className="button ghost" data-testid="logout" onClick={() => void signOut()}>
              {t('session.logout')}
            </button>
          </div>
        </header>
        {unknown ? (
          <NotFound path={path} home={pages[0]?.path ?? '/'} follow={follow} />
        ) : page ? (
          <RightsContext.Provider value={session.rights}>
            <page.component key={page.path} analysis={page.analysis} />
          </RightsContext.Provider>
        ) : (
          <div className="message" data-testid="no-pages">
            {t('access.none')}
          </div>
        )}
      </main>
    </div>
  );
}

function NotFound({
  path,
  home,
  follow,
}: {
  path: string;
  home: string;
  follow(href: string): (e: MouseEvent) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="message" role="alert" data-testid="not-found">
      <p>
        {t('notFound.text')} <code>{path}</code>
      </p>
      <a href={home} className="button" onClick={follow(home)} data-testid="not-found-home">
        {t('notFound.home')}
      </a>
    </div>
  );
}
