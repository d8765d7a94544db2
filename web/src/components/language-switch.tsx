// The one button that turns the interface between Chinese and English (top bar and login page).
import { useI18n } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <button
      type="button"
      className="button ghost"
      data-testid="lang-switch"
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('lang.switch')}
    </button>
  );
}
