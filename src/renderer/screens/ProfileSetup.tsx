import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../Field';
import { useAction } from '../useAction';
import { api } from '../api';
import './signIn.css';

export function ProfileSetup({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const [json, setJson] = useState('');
  const { busy, error, problems, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ((await run(() => api.profileImport(json))) !== undefined) onImported();
  };
  // A profile file dropped anywhere on the window is read like a chosen one (no path involved).
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = () => setDragging(false);
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) void file.text().then(setJson);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    // The renderer reads the chosen file's text; main never receives a path.
    const file = e.target.files?.[0];
    if (file) setJson(await file.text());
  };

  return (
    <form
      className={`card auth${dragging ? ' dropping' : ''}`}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h1>{t('profile.title')}</h1>
      <p>{t('profile.intro')}</p>
      <label htmlFor="profile-json">{t('profile.paste')}</label>
      <textarea
        id="profile-json"
        rows={10}
        value={json}
        onChange={(e) => setJson(e.target.value)}
        spellCheck={false}
        autoFocus
      />
      <label className="file">
        {t('profile.choose')}
        <input type="file" accept="application/json,.json" onChange={(e) => void choose(e)} />
      </label>
      {dragging && <p role="status">{t('profile.drop')}</p>}
      {/* A bad profile is a readable list of what is wrong, in the UI's language. */}
      <FormError message={problems.length ? t('profile.invalid') : error} problems={problems} />
      <button type="submit" disabled={busy || !json.trim()}>
        {t('profile.import')}
      </button>
    </form>
  );
}
